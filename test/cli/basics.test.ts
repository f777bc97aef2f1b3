import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

// Each run starts a node process; on a busy 2-core machine that can take a second or more.
vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const run = (args: string[], cwd = appDir()) => runCli(bin, args, { cwd });

describe("sextant version", () => {
  test("prints the bare version on stdout, as kamal does, and the Kamal release it follows on stderr", async () => {
    expect(await run(["version"])).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "compatible with Kamal 2.12.0\n" });
  });

  test("with --json prints a result event carrying both versions as data", async () => {
    const { code, stdout } = await run(["version", "--json"]);
    expect(code).toBe(0);
    const [result] = stdout.trimEnd().split("\n").map((line) => event.parse(JSON.parse(line)));
    expect(result).toMatchObject({ v: 1, type: "result", text: "0.1.0", data: { version: "0.1.0", kamal: "2.12.0" } });
  });
});

describe("help and usage errors", () => {
  test("no command, --help, and a lone -h print help on stdout", async () => {
    for (const args of [[], ["--help"], ["-h"], ["help"]]) {
      const { code, stdout, stderr } = await run(args);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toContain("Usage: sextant [options] [command]");
      expect(stdout).toContain("-h, --hosts <hosts>");
    }
  });

  test("an unknown command exits 2 with one message and a fix", async () => {
    expect(await run(["frobnicate"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find command "frobnicate".
        fix: run \`sextant --help\` for the commands, or define "frobnicate" under aliases: in the config
      ",
        "stdout": "",
      }
    `);
  });

  test("an unknown option exits 2 and points at the command's help", async () => {
    expect(await run(["version", "--frob"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '--frob'
        fix: run \`sextant version --help\`
      ",
        "stdout": "",
      }
    `);
  });

  test("a global option may come before or after the command, in Thor's underscore spelling too", async () => {
    expect((await run(["--lock_wait_timeout=5", "version", "-q"])).code).toBe(0);
    const bad = await run(["version", "--lock-wait-timeout", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--lock-wait-timeout <seconds>' argument 'soon' is invalid. expected a number of seconds");
  });
});

describe("colour", () => {
  test("is off in a pipe, forced by FORCE_COLOR, and --no-color wins over everything", async () => {
    const frob = (args: string[], env: Record<string, string>) =>
      runCli(bin, ["frobnicate", ...args], { cwd: appDir(), env: cleanEnv(env) });
    expect((await frob([], {})).stderr).toMatch(/^✗ Could not/);
    expect((await frob([], { FORCE_COLOR: "1" })).stderr).toMatch(/^\u001b\[31m✗\u001b\[39m Could not/);
    expect((await frob(["--no-color"], { FORCE_COLOR: "1" })).stderr).toMatch(/^✗ Could not/);
  });
});

describe("sextant docs", () => {
  test("prints the configuration docs, whole or one section, without the generator's note", async () => {
    const all = await run(["docs"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^# config\/deploy.yml\n\nsextant reads Kamal 2's configuration unchanged/);
    expect(all.stdout).not.toContain("<!--");
    const proxy = await run(["docs", "proxy"]);
    expect(proxy.stdout).toMatch(/^## proxy\n/);
  });

  test("lays a section out for a terminal: YAML lines, defaults as values, descriptions below", async () => {
    expect((await run(["docs", "boot"])).stdout).toMatchInlineSnapshot(`
      "## boot

      Rolling deploys: boot the app on a few hosts at a time

      Type: hash.

      boot:
        limit: <string>
            Hosts booted at a time: a number, or \`N%\` of all hosts (accessory hosts included), at least 1
        wait: <integer>
            Seconds to wait after each group
        parallel_roles: false
            Boot the roles of a host at the same time
      "
    `);
  });

  test("an unknown section is a usage error listing the sections", async () => {
    const { code, stderr } = await run(["docs", "nonsense"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^✗ No documentation for nonsense\n  fix: sections are: root, /);
  });
});

describe("sextant init", () => {
  test("writes the config, the secrets stub and executable sample hooks", async () => {
    const dir = appDir();
    const { code, stdout, stderr } = await run(["init"], dir);
    expect({ code, stdout }).toEqual({ code: 0, stdout: "" });
    expect(stderr).toMatchInlineSnapshot(`
      "Created configuration file in config/deploy.yml
      Created .kamal/secrets file
      Created sample hooks in .kamal/hooks
      "
    `);
    expect(readFileSync(join(dir, "config/deploy.yml"), "utf8")).toContain("service: my-app");
    expect(readFileSync(join(dir, ".kamal/secrets"), "utf8")).toContain("KAMAL_REGISTRY_PASSWORD");
    const hooks = readdirSync(join(dir, ".kamal/hooks")).sort();
    expect(hooks).toEqual([
      "docker-setup.sample", "post-app-boot.sample", "post-deploy.sample", "post-proxy-reboot.sample",
      "pre-app-boot.sample", "pre-build.sample", "pre-connect.sample", "pre-deploy.sample", "pre-proxy-reboot.sample",
    ]);
    for (const h of hooks) expect(statSync(join(dir, ".kamal/hooks", h)).mode & 0o777).toBe(0o755);
  });

  test("never overwrites: an existing config stays, missing pieces are still added", async () => {
    const dir = appDir({ "config/deploy.yml": "service: mine\n" });
    const { code, stderr } = await run(["init"], dir);
    expect(code).toBe(0);
    expect(stderr).toMatchInlineSnapshot(`
      "Config file already exists in config/deploy.yml (remove first to create a new one)
      Created .kamal/secrets file
      Created sample hooks in .kamal/hooks
      "
    `);
    expect(readFileSync(join(dir, "config/deploy.yml"), "utf8")).toBe("service: mine\n");
    writeFileSync(join(dir, ".kamal/secrets"), "MINE=1\n");
    expect((await run(["init"], dir)).stderr).toBe(
      "Config file already exists in config/deploy.yml (remove first to create a new one)\n",
    );
    expect(readFileSync(join(dir, ".kamal/secrets"), "utf8")).toBe("MINE=1\n");
    expect(existsSync(join(dir, ".kamal/hooks/pre-deploy.sample"))).toBe(true);
  });
});
