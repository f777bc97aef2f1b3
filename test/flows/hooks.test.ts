import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { select } from "../../src/config/selection.ts";
import { HookError } from "../../src/errors.ts";
import { LocalExecutor } from "../../src/exec/local.ts";
import type { Context, RunFlags } from "../../src/flows/context.ts";
import { preConnect, runHook } from "../../src/flows/hooks.ts";
import { MemoryReporter } from "../../src/output/memory.ts";
import { configFromYaml } from "../support/config.ts";

/** An app directory whose hooks are real shell scripts, run by the real local executor. */
function setup(opts: { hooks?: Record<string, string>; yaml?: string; flags?: Partial<RunFlags>; roles?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sextant-hooks-"));
  // The default hooks_path, relative to the app directory, as users have it.
  const hooksPath = join(dir, ".kamal/hooks");
  mkdirSync(hooksPath, { recursive: true });
  for (const [name, body] of Object.entries(opts.hooks ?? {})) {
    writeFileSync(join(hooksPath, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(hooksPath, name), 0o755);
  }
  const config = configFromYaml(
    `service: app\nimage: dhh/app\nservers:\n  web: [1.1.1.1, 1.1.1.2]\n  workers: [1.1.1.3]\n` +
      `registry:\n  username: u\n  password: [REGISTRY_PASSWORD]\nbuilder:\n  arch: amd64\n` +
      (opts.yaml ?? ""),
    { version: "4f2c1e9b7a", secrets: { REGISTRY_PASSWORD: "hunter2" } },
  );
  const report = new MemoryReporter();
  const env = { PATH: process.env.PATH, HOME: dir };
  const ctx: Context = {
    config,
    selection: select(config, { roles: opts.roles }),
    ex: new LocalExecutor({ reporter: report, cwd: dir, env }),
    report,
    signal: new AbortController().signal,
    cwd: dir,
    now: () => new Date("2026-03-04T05:06:07.890Z"),
    randomHex: () => "00",
    identity: async () => ({ name: "Deployer", email: "deployer@example.com" }),
    options: {
      verbose: false,
      quiet: false,
      skipHooks: false,
      dryRun: false,
      command: "deploy",
      subcommand: undefined,
      lockWait: { enabled: false, timeout: 900, interval: 15, staleAfter: 300 },
      ...opts.flags,
    },
    runner: { machine: "deployer-laptop", pid: 4242, isRunning: () => true },
    state: { holdsLock: true, preConnectDone: false },
  };
  return { ctx, report, dir };
}

const DUMP_ENV = 'env | grep -E "^(KAMAL_|REGISTRY_PASSWORD)" | sort > "$HOME/env.txt"';
const dumped = (dir: string) => readFileSync(join(dir, "env.txt"), "utf8");

describe("runHook", () => {
  test("runs the hook with Kamal's environment; pre-deploy also gets every secret", async () => {
    const { ctx, dir } = setup({ hooks: { "pre-deploy": DUMP_ENV } });
    expect(await runHook(ctx, "pre-deploy")).toBe(true);
    expect(dumped(dir)).toBe(
      [
        "KAMAL_COMMAND=deploy",
        "KAMAL_HOSTS=1.1.1.1,1.1.1.2,1.1.1.3",
        "KAMAL_LOCK=true",
        "KAMAL_PERFORMER=deployer@example.com",
        "KAMAL_RECORDED_AT=2026-03-04T05:06:07Z",
        "KAMAL_SERVICE=app",
        "KAMAL_SERVICE_VERSION=app@4f2c1e9",
        "KAMAL_VERSION=4f2c1e9b7a",
        "REGISTRY_PASSWORD=hunter2",
        "",
      ].join("\n"),
    );
  });

  test("app-boot hooks get the boot group's hosts and no secrets; -r sets KAMAL_ROLES", async () => {
    const { ctx, dir } = setup({ hooks: { "pre-app-boot": DUMP_ENV }, roles: "web", flags: { command: "app", subcommand: "boot" } });
    await runHook(ctx, "pre-app-boot", { hosts: ["1.1.1.2"] });
    const env = dumped(dir);
    expect(env).toContain("KAMAL_HOSTS=1.1.1.2\n");
    expect(env).toContain("KAMAL_ROLES=web\n");
    expect(env).toContain("KAMAL_SUBCOMMAND=boot\n");
    expect(env).not.toContain("REGISTRY_PASSWORD");
  });

  test("post-deploy gets the runtime in whole seconds", async () => {
    const { ctx, dir } = setup({ hooks: { "post-deploy": DUMP_ENV } });
    await runHook(ctx, "post-deploy", { runtime: 41.6 });
    expect(dumped(dir)).toContain("KAMAL_RUNTIME=42\n");
  });

  test("a missing hook, or -H, runs nothing", async () => {
    const missing = setup();
    expect(await runHook(missing.ctx, "pre-build")).toBe(false);
    const skipped = setup({ hooks: { "pre-build": "exit 1" }, flags: { skipHooks: true } });
    expect(await runHook(skipped.ctx, "pre-build")).toBe(false);
    expect(skipped.report.events).toEqual([]);
  });

  test("a failing hook throws HookError with the hook's output", async () => {
    const { ctx } = setup({ hooks: { "pre-build": 'echo "uncommitted changes" >&2\nexit 3' } });
    const err = await runHook(ctx, "pre-build").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookError);
    expect((err as HookError).message).toMatch(/^Hook `pre-build` failed: \.kamal\/hooks\/pre-build exited 3:\nuncommitted changes$/);
    expect((err as HookError).hint).toMatch(/, or skip hooks with -H$/);
  });

  test("by default the hook is announced and its output hidden", async () => {
    const { ctx, report } = setup({ hooks: { "pre-build": "echo building" } });
    await runHook(ctx, "pre-build");
    expect(report.events.map((e) => e.type)).toEqual(["step.start", "command"]);
    expect(report.events[0]).toMatchObject({ title: "Running the pre-build hook..." });
  });

  test("hooks_output: verbose shows that hook's output, quiet hides it entirely", async () => {
    const yaml = "hooks_output:\n  pre-build: verbose\n  pre-deploy: quiet\n";
    const { ctx, report } = setup({ hooks: { "pre-build": "echo building", "pre-deploy": "echo deploying" }, yaml });
    await runHook(ctx, "pre-build");
    await runHook(ctx, "pre-deploy");
    const shown = report.events.filter((e) => e.type === "step.start" || e.type === "info");
    expect(shown).toMatchObject([
      { type: "step.start", title: "Running the pre-build hook..." },
      { type: "info", message: "building", host: "local" },
    ]);
  });

  test("-v shows hook output whatever hooks_output says", async () => {
    const { ctx, report } = setup({ hooks: { "pre-build": "echo building" }, yaml: "hooks_output: quiet\n", flags: { verbose: true } });
    await runHook(ctx, "pre-build");
    expect(report.events.filter((e) => e.type === "output")).toMatchObject([{ host: "local", text: "building" }]);
  });
});

describe("preConnect", () => {
  test("runs pre-connect once per run", async () => {
    const { ctx, dir } = setup({ hooks: { "pre-connect": 'echo ran >> "$HOME/count.txt"' } });
    await preConnect(ctx);
    await preConnect(ctx);
    expect(readFileSync(join(dir, "count.txt"), "utf8")).toBe("ran\n");
  });
});
