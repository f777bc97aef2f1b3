import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const app = () =>
  appDir({
    "config/deploy.yml": `service: app
image: dhh/app
servers:
  web: [10.0.0.1, 10.0.0.2]
  workers:
    hosts: [10.0.0.3]
    cmd: bin/jobs
registry:
  server: registry.example.com
  username: deployer
  password: [KAMAL_REGISTRY_PASSWORD]
builder:
  arch: amd64
env:
  secret: [DATABASE_PASSWORD]
`,
    ".kamal/secrets": "KAMAL_REGISTRY_PASSWORD=hunter2\nDATABASE_PASSWORD=s3cr3t\n",
  });

const run = (args: string[]) => runCli(bin, args, { cwd: app(), env: cleanEnv({ VERSION: "4f2c1e9" }) });

describe("sextant deploy --dry-run", () => {
  test("prints every command as HOST<TAB>COMMAND on stdout, connects nowhere, and shows no secret", async () => {
    const { code, stdout, stderr } = await run(["deploy", "--dry-run"]);
    expect(stderr).not.toContain("✗");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(/^(local|10\.0\.0\.[123])\t\S/);
    const hosts = new Set(lines.map((l) => l.split("\t")[0]));
    expect([...hosts].sort()).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3", "local"]);
    expect(stdout + stderr).not.toMatch(/hunter2|s3cr3t/);
  });

  test("with --json every line is a valid event and the commands are planned events", async () => {
    const { code, stdout } = await run(["deploy", "--dry-run", "--json"]);
    expect(code).toBe(0);
    const events = stdout.trimEnd().split("\n").map((l) => event.parse(JSON.parse(l)));
    expect(events.filter((e) => e.type === "planned").length).toBeGreaterThan(5);
    expect(events.some((e) => e.type === "step.start")).toBe(true);
  });
});

describe("a dry run is a preflight", () => {
  const missing = () =>
    appDir({
      "config/deploy.yml": readFileSync(join(app(), "config/deploy.yml"), "utf8").replace("secret: [DATABASE_PASSWORD]", "secret: [DATABASE_PASSWORD, RAILS_MASTER_KEY]"),
      ".kamal/secrets": "SOMETHING_ELSE=1\n",
    });
  const MISSING = `✗ config/deploy.yml: registry/password: KAMAL_REGISTRY_PASSWORD is not set in .kamal/secrets
  fix: add KAMAL_REGISTRY_PASSWORD=... to .kamal/secrets
✗ config/deploy.yml: env/secret: DATABASE_PASSWORD is not set in .kamal/secrets
  fix: add DATABASE_PASSWORD=... to .kamal/secrets
✗ config/deploy.yml: env/secret: RAILS_MASTER_KEY is not set in .kamal/secrets
  fix: add RAILS_MASTER_KEY=... to .kamal/secrets
`;

  test("names every missing secret at once (registry password and env secrets), exit 2, and plans no command", async () => {
    const { code, stdout, stderr } = await runCli(bin, ["deploy", "--dry-run"], { cwd: missing(), env: cleanEnv({ VERSION: "4f2c1e9" }) });
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe(
      "Dry run: nothing will be sent to any host; every command is assumed to succeed with no output " +
        "(no containers running, the deploy lock free, new containers healthy)\n" +
        "Dry run: no commands planned; nothing was sent\n" + MISSING,
    );
  });

  test("a real deploy checks the same secrets first: exit 2 with all of them, before any step or connection", async () => {
    const { code, stdout, stderr } = await runCli(bin, ["deploy"], { cwd: missing(), env: cleanEnv({ VERSION: "4f2c1e9" }) });
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: "", stderr: MISSING });
  });

  test("says first and last on stderr that nothing was sent, and reports nothing it did not observe", async () => {
    const { code, stderr } = await run(["deploy", "--dry-run"]);
    expect(code).toBe(0);
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Dry run: nothing will be sent to any host; /);
    expect(lines.at(-1)).toMatch(/^Dry run: \d+ commands planned for 3 hosts and this machine; nothing was sent$/);
    expect(stderr).not.toMatch(/is healthy|Finished all|RESULT|\bok\b|\+\d+\.\ds/);
    expect(stderr).toContain("[10.0.0.1]  First web container is assumed healthy on 10.0.0.1, booting any other roles\n");
  });

  test("rollback narrates its plan and its assumptions, without timings or an outcome table", async () => {
    const { code, stderr } = await run(["rollback", "0a1b2c3", "--dry-run"]);
    expect(code).toBe(0);
    expect(stderr).toMatchInlineSnapshot(`
      "Dry run: nothing will be sent to any host; every command is assumed to succeed with no output (no containers running, the deploy lock free, new containers healthy)
      ▸ Acquiring the deploy lock...
      assumed: every host has a container of version 0a1b2c3
      ▸ Start container with version 0a1b2c3 (or reboot if already running)...
      [10.0.0.3]  Waiting for the first healthy web container before booting workers on 10.0.0.3...
      [10.0.0.1]  First web container is assumed healthy on 10.0.0.1, booting any other roles
      [10.0.0.3]  First web container is assumed healthy, booting workers on 10.0.0.3...
      ▸ Releasing the deploy lock...
      Dry run: 38 commands planned for 3 hosts; nothing was sent
      "
    `);
  });

  test("with --json the dry run has no per-host outcomes, and opens and closes with its notices", async () => {
    const { code, stdout } = await run(["deploy", "--dry-run", "--json"]);
    expect(code).toBe(0);
    const events = stdout.trimEnd().split("\n").map((l) => event.parse(JSON.parse(l)));
    expect(events.filter((e) => e.type === "deploy.host")).toEqual([]);
    const infos = events.flatMap((e) => (e.type === "info" ? [e.message] : []));
    expect(infos[0]).toMatch(/^Dry run: nothing will be sent/);
    expect(infos.at(-1)).toMatch(/^Dry run: \d+ commands planned for 3 hosts and this machine; nothing was sent$/);
  });

  test("stdout holds only HOST<TAB>COMMAND lines for commands that print results (audit, details, app version)", async () => {
    for (const args of [["audit"], ["details"], ["app", "version"], ["app", "containers"], ["lock", "status"]]) {
      const { code, stdout, stderr } = await run([...args, "--dry-run"]);
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split("\n");
      expect(lines.length, args.join(" ")).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/^10\.0\.0\.[123]\t\S/);
      expect(stderr).toMatch(/^Dry run: nothing will be sent/);
    }
  });
});

describe("sextant app logs -f --dry-run", () => {
  test("plans a followed command on every selected host and role; -r narrows it", async () => {
    const all = await run(["app", "logs", "-f", "--dry-run"]);
    expect(all.code).toBe(0);
    const planned = all.stdout.trimEnd().split("\n");
    expect(planned.map((l) => l.split("\t")[0])).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    for (const line of planned) expect(line).toMatch(/ \| head -1 \| xargs docker logs --timestamps --tail 10 --follow 2>&1$/);
    expect(all.stderr).toContain("Following logs on 10.0.0.1, 10.0.0.2, 10.0.0.3...\n");

    const workers = await run(["app", "logs", "-f", "-r", "workers", "--dry-run"]);
    expect(workers.stdout.trimEnd().split("\n").map((l) => l.split("\t")[0])).toEqual(["10.0.0.3"]);
  });

  test("--merge orders lines that are already read, so it refuses -f", async () => {
    const { code, stdout, stderr } = await run(["app", "logs", "-f", "--merge"]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatchInlineSnapshot(`
      "✗ option '--merge' cannot be used with option '-f, --follow'
        fix: run \`sextant app logs --help\`
      "
    `);
  });
});

describe("a reader that stops reading", () => {
  test("does not crash the run: the rest of stdout is dropped and the run finishes", async () => {
    // Enough hosts that the output outgrows the pipe's buffer, so writes after the reader left do fail.
    const hosts = Array.from({ length: 60 }, (_, i) => `10.0.1.${i + 1}`).join(", ");
    const dir = appDir({
      "config/deploy.yml": `service: app\nimage: dhh/app\nservers: [${hosts}]\nregistry:\n  username: u\n  password: [PW]\nbuilder:\n  arch: amd64\n`,
      ".kamal/secrets": "PW=x\n",
    });
    // A real shell pipe, as users write it; bash reports the exit status of sextant itself.
    const line = `"${process.execPath}" "${bin}" deploy --dry-run 2>err.txt | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const { stdout } = await runCli("/dev/null", [], { cwd: dir, env: cleanEnv({ VERSION: "4f2c1e9" }), shell: line });
    const stderr = readFileSync(join(dir, "err.txt"), "utf8");
    expect(stderr).not.toContain("EPIPE");
    expect(stderr).toContain("Releasing the deploy lock...");
    expect(stdout).toBe("0\n");
  });
});
