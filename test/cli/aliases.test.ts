// The aliases of fixtures/deploy/with-aliases run with --dry-run: the alias's own nested options, the user's options
// after them, and aliases that come from, or switch to, a destination.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { buildCli, cleanEnv, ROOT, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
let app = "";
beforeAll(() => {
  ({ bin, cleanup } = buildCli());
  app = mkdtempSync(join(tmpdir(), "sextant-aliases-"));
  cpSync(join(ROOT, "fixtures/deploy/with-aliases"), app, { recursive: true });
  writeFileSync(join(app, ".kamal/secrets"), "KAMAL_REGISTRY_PASSWORD=alias-registry-pw\n");
  // A destination with its own web host and an alias of its own, and a base alias that switches to it.
  writeFileSync(join(app, "config/deploy.staging.yml"), "servers:\n  web:\n    - 10.9.0.1\naliases:\n  tail: app logs -n 3\n");
  const dbc = '  dbc: app exec --interactive --reuse --primary "bin/rails dbconsole"\n';
  const config = readFileSync(join(app, "config/deploy.yml"), "utf8");
  if (!config.includes(dbc)) throw new Error("fixtures/deploy/with-aliases changed: update this test");
  writeFileSync(join(app, "config/deploy.yml"), config.replace(dbc, `${dbc}  staging_console: console -d staging\n`));
}, 60_000);
afterAll(() => cleanup());

const dryRun = (args: string[]) => runCli(bin, [...args, "--dry-run"], { cwd: app, env: cleanEnv({ VERSION: "999" }) });

/** `docker exec` of the console in container NAME-<version> on HOST (a dry run knows no running version). */
const execIn = (host: string, name: string) =>
  expect.stringMatching(new RegExp(`^${host.replaceAll(".", "\\.")}\tdocker exec -i ${name}-\\S* bin/rails console$`));

/** The stdout lines (HOST<TAB>COMMAND) that end with `tail`. */
const sent = (stdout: string, tail: string) => stdout.split("\n").filter((l) => l.endsWith(tail));

describe("aliases with --dry-run", () => {
  test("an alias with nested options runs its command: console is an interactive exec in the running web container", async () => {
    const { code, stdout, stderr } = await dryRun(["console"]);
    expect({ code, err: stderr.includes("✗") }).toEqual({ code: 0, err: false });
    expect(sent(stdout, " bin/rails console")).toEqual([execIn("10.3.0.1", "notes-web")]);
    expect(stdout + stderr).not.toContain("alias-registry-pw");
  });

  test("the user's options come after the alias's: -r picks another role for console", async () => {
    const { code, stdout } = await dryRun(["console", "-r", "default_queue"]);
    expect(code).toBe(0);
    expect(sent(stdout, " bin/rails console")).toEqual([execIn("10.3.0.2", "notes-default_queue")]);
  });

  test("an option the user adds joins the alias's own: logs -n 5 follows every host with --tail 5", async () => {
    const { code, stdout } = await dryRun(["logs", "-n", "5"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split("\t")[0])).toEqual(["10.3.0.1", "10.3.0.2", "10.3.0.3"]);
    for (const line of lines) expect(line).toMatch(/\t.* \| head -1 \| xargs docker logs --timestamps --tail 5 --follow 2>&1$/);
  });

  test("with -d the alias runs against the destination's hosts and labels", async () => {
    const { code, stdout } = await dryRun(["-d", "staging", "console"]);
    expect(code).toBe(0);
    expect(sent(stdout, " bin/rails console")).toEqual([execIn("10.9.0.1", "notes-web-staging")]);
    expect(stdout).toContain("--filter label=destination=staging");
  });

  test("an alias defined only in a destination file exists only with that destination", async () => {
    const staged = await dryRun(["-d", "staging", "tail"]);
    expect(staged.code).toBe(0);
    expect(staged.stderr).toContain("App Host: 10.9.0.1"); // a dry run's results go to stderr, after its plan
    expect(staged.stdout).toMatch(/xargs docker logs --timestamps --tail 3 2>&1$/m);

    const plain = await dryRun(["tail"]);
    expect({ code: plain.code, stdout: plain.stdout }).toEqual({ code: 2, stdout: "" });
    expect(plain.stderr).toContain('Could not find command "tail".');
  });

  test("an alias that names a destination, reached through another alias, switches to it", async () => {
    const { code, stdout } = await dryRun(["staging_console"]);
    expect(code).toBe(0);
    expect(sent(stdout, " bin/rails console")).toEqual([execIn("10.9.0.1", "notes-web-staging")]);
  });

  test("with --json every line of an alias's dry run is a valid event", async () => {
    const { code, stdout } = await dryRun(["dbc", "--json"]);
    expect(code).toBe(0);
    const events = stdout.trimEnd().split("\n").map((l) => event.parse(JSON.parse(l)));
    expect(events.some((e) => e.type === "planned" && JSON.stringify(e).includes("bin/rails dbconsole"))).toBe(true);
  });
});
