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
