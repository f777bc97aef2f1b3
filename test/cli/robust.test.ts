// The built CLI on the inputs of issue 16 that reached users as crashes, runs with the wrong meaning, or the
// wrong exit code: each is now a usage or config error (exit 2) with a hint, and nothing runs.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const CONFIG = `service: app
image: acme/app
servers:
  - 1.1.1.1
registry:
  username: user
  password: pw
builder:
  arch: amd64
accessories:
  db:
    image: mysql:8
    host: 1.1.1.9
`;

const run = (args: string[], files: Record<string, string> = { "config/deploy.yml": CONFIG }) =>
  runCli(bin, args, { cwd: appDir(files), env: cleanEnv({ VERSION: "999" }) });

describe("an option that needs a value never takes another option as it", () => {
  test("lock acquire -m --dry-run is a usage error, and nothing runs", async () => {
    expect(await run(["lock", "acquire", "-m", "--dry-run"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ -m needs a value, but the next word is the option --dry-run
        fix: give -m its value; if --dry-run really is the value, write it attached: --message=--dry-run
      ",
        "stdout": "",
      }
    `);
  });

  test("global options too: -r --dry-run", async () => {
    const { code, stderr } = await run(["-r", "--dry-run", "app", "details"]);
    expect(code).toBe(2);
    expect(stderr).toContain("✗ -r needs a value, but the next word is the option --dry-run");
  });

  test("--message=--dry-run says it on purpose", async () => {
    const { code, stdout } = await run(["lock", "acquire", "--message=--dry-run", "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toContain("mkdir .kamal/lock-app");
  });
});

describe("inputs that were bugs in sextant", () => {
  test.each([
    [["config", "-c", "config"]],
    [["config", "--config-file="]],
    [["config", "-c", "/dev/zero"]],
    [["app", "details", "--dry-run", "-r", "[z-a]"]],
    [["app", "details", "--dry-run", "-h", "{[}]"]],
    [["app", "details", "--dry-run", "-r", "w".repeat(100_000)]],
    [["config", "-d", "../../x"]],
  ])("%j exits 2 with a fix", async (args) => {
    const { code, stderr } = await run(args, { "config/deploy.yml": CONFIG, "config/x.yml": CONFIG });
    expect({ code, bug: stderr.includes("bug in sextant"), fix: stderr.includes("fix:") }).toEqual({ code: 2, bug: false, fix: true });
  });

  test("a root key named constructor is an unknown key", async () => {
    const { code, stderr } = await run(["config"], { "config/deploy.yml": `${CONFIG}constructor: x\n` });
    expect(code).toBe(2);
    expect(stderr).toContain("config/deploy.yml:14:1: unknown key: constructor");
  });
});

describe("usage errors exit 2", () => {
  test("secrets extract with non-JSON", async () => {
    const { code, stderr } = await run(["secrets", "extract", "x", "not json"]);
    expect({ code, stderr }).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find secret x: the secrets given are not a JSON object
        fix: pass the output of \`sextant secrets fetch\` as the second argument, quoted as one word
      ",
      }
    `);
  });

  test("no version: no git repository and no VERSION", async () => {
    const { code, stderr } = await runCli(bin, ["app", "boot", "--dry-run"], { cwd: appDir({ "config/deploy.yml": CONFIG }), env: cleanEnv() });
    expect(code).toBe(2);
    expect(stderr).toContain("Can't use commit hash as version");
  });
});

describe("deeply nested YAML, read as Kamal reads it", () => {
  const deepList = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
  const withDeepValues = (levels: number) =>
    CONFIG.replace("builder:\n", `builder:\n  args:\n    X: ${deepList(levels)}\n`) + `x-deep: ${deepList(levels)}\n`;

  test("config reads and prints 1,000 levels", async () => {
    const { code, stdout, stderr } = await run(["config"], { "config/deploy.yml": withDeepValues(1000) });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    // Ruby 3.1: {"arch"=>"amd64", "args"=>{"X"=>[[...[1]...]]}}.to_yaml, 1,000 levels: each level a `- ` on one line.
    expect(stdout).toContain(`:builder:\n  args:\n    X:\n    ${"- ".repeat(1000)}1\n  arch: amd64\n`);
  });

  test("beyond 1,500 levels it is one config error, with no stack trace", async () => {
    expect(await run(["config"], { "config/deploy.yml": `${CONFIG}x-deep: ${deepList(1500)}\n` })).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ config/deploy.yml:14:1508: invalid YAML: nested deeper than sextant reads (1,500 levels)
        fix: nest lists and hashes less deeply; Kamal's YAML reader (Psych) stops at about 1,000 levels
      ",
        "stdout": "",
      }
    `);
  });
});
