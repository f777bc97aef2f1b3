import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { FAKE_BIN, on, scriptVendors } from "../secrets/vendor-lab.ts";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

// Each run starts a node process; on a busy 2-core machine that can take a second or more.
vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const run = (args: string[], cwd = appDir(), env: Record<string, string> = {}) =>
  runCli(bin, args, { cwd, env: cleanEnv({ VERSION: "999", ...env }) });

const DEPLOY = "service: app\nimage: dhh/app\nservers:\n  - 1.1.1.1\nregistry:\n  username: dhh\n  password:\n    - KAMAL_REGISTRY_PASSWORD\nbuilder:\n  arch: amd64\n";

describe("sextant secrets fetch", () => {
  test("prints the adapter's secrets as compact JSON, without a config file", async () => {
    expect(await run(["secrets", "fetch", "foo", "bar", "baz", "--account", "myaccount", "--adapter", "test"])).toEqual({
      code: 0, stdout: '{"foo":"oof","bar":"rab","baz":"zab"}\n', stderr: "",
    });
  });

  test("--inline prints the JSON shell-escaped, as one word for extract", async () => {
    expect((await run(["secrets", "fetch", "-a", "test", "--account", "a", "--from", "v", "x"])).stdout).toBe('{"v/x":"x/v"}\n');
    expect((await run(["secrets", "fetch", "-a", "test", "--account", "a", "--inline", "x"])).stdout).toBe('\\{\\"x\\":\\"x\\"\\}\n');
  });

  test("runs the vendor CLI found on PATH", async () => {
    const vendor = scriptVendors([
      on("bws --version", { stdout: "bws 1.0.0\n" }),
      on("bws project list", { stdout: "[]" }),
      on("bws secret list", { stdout: '[{"key":"A","value":"1"},{"key":"B","value":"2"}]' }),
    ]);
    const result = await run(["secrets", "fetch", "-a", "bitwarden-sm", "all"], appDir(), {
      PATH: `${FAKE_BIN}:${process.env.PATH ?? ""}`, FAKE_VENDOR_DIR: vendor,
    });
    expect(result).toEqual({ code: 0, stdout: '{"A":"1","B":"2"}\n', stderr: "" });
  });

  test("without --adapter, or without a required --account, exits 2 with a fix", async () => {
    expect(await run(["secrets", "fetch", "foo"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ required option '-a, --adapter <name>' not specified
        fix: run \`sextant secrets fetch --help\`
      ",
        "stdout": "",
      }
    `);
    expect(await run(["secrets", "fetch", "foo", "--adapter", "test"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ No value provided for required options '--account'
        fix: the test adapter needs --account (the account, email or user to sign in as)
      ",
        "stdout": "",
      }
    `);
  });

  test("an unknown adapter exits 1 naming it", async () => {
    expect(await run(["secrets", "fetch", "-a", "vault", "x"])).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "✗ Unknown secrets adapter: vault
        fix: use one of 1password, bitwarden, bitwarden-sm, lastpass, aws_secrets_manager, doppler, gcp, enpass, passbolt
      ",
        "stdout": "",
      }
    `);
  });

  test("with --json the result is one event carrying the secrets", async () => {
    const { code, stdout } = await run(["secrets", "fetch", "-a", "test", "--account", "a", "x", "--json"]);
    expect(code).toBe(0);
    const [result, end] = stdout.trimEnd().split("\n").map((l) => event.parse(JSON.parse(l)));
    expect(result).toMatchObject({ type: "result", text: '{"x":"x"}', data: { x: "x" } });
    expect(end?.type).toBe("run.end");
  });
});

describe("sextant secrets extract", () => {
  test("prints the value of the key, or of the first key ending in /NAME", async () => {
    expect((await run(["secrets", "extract", "foo", '{"foo":"oof", "bar":"rab", "baz":"zab"}'])).stdout).toBe("oof\n");
    expect((await run(["secrets", "extract", "foo", '{"abc/foo":"oof", "bar":"rab", "baz":"zab"}'])).stdout).toBe("oof\n");
  });

  test("a missing key exits 1 listing the keys there are", async () => {
    expect(await run(["secrets", "extract", "nope", '{"a/b":"secret-value"}'])).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "✗ Could not find secret nope
        fix: the fetched secrets have: a/b
      ",
        "stdout": "",
      }
    `);
  });
});

describe("sextant secrets print", () => {
  test("prints KEY=value lines from the secrets files, interpolation done", async () => {
    const cwd = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": "SECRET1=ABC\nSECRET2=${SECRET1}DEF\n" });
    expect(await run(["secrets", "print"], cwd)).toEqual({ code: 0, stdout: "SECRET1=ABC\nSECRET2=ABCDEF\n", stderr: "" });
  });

  test("reads .kamal/secrets.<destination> with -d", async () => {
    const cwd = appDir({
      "config/deploy.yml": DEPLOY, "config/deploy.staging.yml": "", ".kamal/secrets-common": "A=common\nB=common",
      ".kamal/secrets.staging": "B=staging", ".kamal/secrets": "B=default",
    });
    expect((await run(["secrets", "print", "-d", "staging"], cwd)).stdout).toBe("A=common\nB=staging\n");
  });

  test("warns when a command's output lost a $word to variable expansion", async () => {
    const cwd = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": "PASSWORD=$(cat pw.txt)\n", "pw.txt": "pa$word" });
    expect(await run(["secrets", "print"], cwd)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "warning: .kamal/secrets:1:1: PASSWORD: the output of $(cat pw.txt) contains a \`$NAME\` that was then expanded as a variable, as Kamal 2.12 does (dotenv 3.2.0), so the value is not what the command printed
        fix: if the \`$\` belongs to the secret, export the secret before running sextant and write PASSWORD=$VARIABLE (a value taken from the environment is not expanded again), or make the command print each \`$\` as \`\\$\`
      ",
        "stdout": "PASSWORD=pa
      ",
      }
    `);
  });

  test("a failing $(...) exits 2 with one message naming the file, line and command", async () => {
    const cwd = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": "A=1\nDB=$(echo 'vault sealed' >&2; exit 3)\n" });
    expect(await run(["secrets", "print"], cwd)).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ .kamal/secrets:2:1: DB: $(echo 'vault sealed' >&2; exit 3) exited 3: vault sealed
        fix: run the command in a shell to see why it fails and fix it (Kamal would have used whatever it printed)
      ",
        "stdout": "",
      }
    `);
  });
});
