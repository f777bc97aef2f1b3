import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event, type Event } from "../../src/output/events.ts";
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
registry:
  username: deployer
  password: [KAMAL_REGISTRY_PASSWORD]
builder:
  arch: amd64
`,
    ".kamal/secrets": "KAMAL_REGISTRY_PASSWORD=hunter2\n",
  });

/** `hosts` is a list, `colour` is no key: two issues, on lines 5 and 10. */
const broken = () =>
  appDir({
    "config/deploy.yml": `service: app
image: dhh/app
servers:
  web:
    hosts: 10.0.0.1
registry:
  username: deployer
  password: [KAMAL_REGISTRY_PASSWORD]
builder:
  arch: amd64
colour: blue
`,
  });

const events = (stdout: string): Event[] => stdout.trimEnd().split("\n").map((l) => event.parse(JSON.parse(l)));

describe("--json ends every run with run.end", () => {
  test("a dry run: exit code 0, and neither host rows nor host phases, since it observed no host", async () => {
    const { code, stdout } = await runCli(bin, ["deploy", "--dry-run", "--json"], { cwd: app(), env: cleanEnv({ VERSION: "4f2c1e9" }) });
    expect(code).toBe(0);
    const all = events(stdout);
    const end = all.at(-1);
    expect(end).toMatchObject({ type: "run.end", exitCode: 0, hosts: [] });
    if (end?.type !== "run.end") throw new Error("no run.end");
    expect(end.seconds).toBeGreaterThan(0);
    expect(all.filter((e) => e.type === "run.end")).toHaveLength(1);
    expect(all.filter((e) => e.type === "host.phase" || e.type === "deploy.host")).toEqual([]);
  });

  test("a broken config: the error, then run.end with exit code 2 and no hosts", async () => {
    const { code, stdout } = await runCli(bin, ["deploy", "--dry-run", "--json"], { cwd: broken(), env: cleanEnv() });
    expect(code).toBe(2);
    const all = events(stdout);
    expect(all.map((e) => e.type)).toEqual(["error", "run.end"]);
    expect(all[1]).toMatchObject({ type: "run.end", exitCode: 2, hosts: [] });
  });

  test("a usage error ends with run.end too", async () => {
    const { code, stdout } = await runCli(bin, ["deploy", "--no-such-flag", "--json"], { cwd: app(), env: cleanEnv() });
    expect(code).toBe(2);
    expect(events(stdout).map((e) => [e.type, "exitCode" in e ? e.exitCode : undefined])).toEqual([["error", 2], ["run.end", 2]]);
  });
});

describe("under GitHub Actions", () => {
  test("a broken config is annotated at its lines, and the job summary says why the run failed", async () => {
    const dir = broken();
    const summary = join(dir, "summary.md");
    const env = cleanEnv({ GITHUB_ACTIONS: "true", CI: "true", GITHUB_STEP_SUMMARY: summary });
    const { code, stdout, stderr } = await runCli(bin, ["deploy", "--dry-run"], { cwd: dir, env });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatchInlineSnapshot(`
      "::error file=config/deploy.yml,line=5,col=5,title=sextant%3A invalid config::servers/web/hosts: should be an array%0Afix: write a list: \`[a, b]\`, or one \`- item\` per line; \`sextant docs servers\` describes it
      ::error file=config/deploy.yml,line=11,col=1,title=sextant%3A invalid config::unknown key: colour%0Afix: \`sextant docs\` lists the keys
      ✗ config/deploy.yml:5:5: servers/web/hosts: should be an array
        fix: write a list: \`[a, b]\`, or one \`- item\` per line; \`sextant docs servers\` describes it
      ✗ config/deploy.yml:11:1: unknown key: colour
        fix: \`sextant docs\` lists the keys
      "
    `);
    expect(readFileSync(summary, "utf8")).toMatchInlineSnapshot(`
      "### sextant deploy failed (exit code 2)

      \`\`\`
      ✗ config/deploy.yml:5:5: servers/web/hosts: should be an array
        fix: write a list: \`[a, b]\`, or one \`- item\` per line; \`sextant docs servers\` describes it
      ✗ config/deploy.yml:11:1: unknown key: colour
        fix: \`sextant docs\` lists the keys
      \`\`\`

      "
    `);
  });

  test("a dry-run deploy folds each step into a group, per host where a step speaks per host, and writes no summary", async () => {
    const dir = app();
    const summary = join(dir, "summary.md");
    const env = cleanEnv({ GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary, VERSION: "4f2c1e9" });
    const { code, stderr } = await runCli(bin, ["deploy", "--dry-run"], { cwd: dir, env });
    expect(code).toBe(0);
    const lines = stderr.split("\n");
    const groups = lines.filter((l) => l.startsWith("::group::"));
    expect(groups[0]).toBe("::group::Build and push app image...");
    expect(groups).toContain("::group::Start container with version 4f2c1e9 (or reboot if already running)... [10.0.0.1]");
    expect(groups.length).toBe(lines.filter((l) => l === "::endgroup::").length);
    expect(lines.some((l) => l.startsWith("HOST "))).toBe(false);
    // Nothing was deployed and nothing failed: the job summary is left alone.
    expect(existsSync(summary)).toBe(false);
  });
});
