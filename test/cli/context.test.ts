import { describe, expect, test } from "vitest";
import { fromValues } from "../../src/cli/globals.ts";
import { loadConfigFor, loadContext } from "../../src/cli/context.ts";
import { Recorder } from "../../src/exec/recorder.ts";
import { HumanReporter } from "../../src/output/human.ts";
import { Chalk } from "chalk";
import { appDir } from "./support.ts";
import { Readable } from "node:stream";

const DEPLOY = `service: app
image: dhh/app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers: [1.1.1.3]
registry:
  username: u
  password: [PW]
builder:
  arch: amd64
`;

function setup(env: Record<string, string> = {}) {
  const err: string[] = [];
  const reporter = new HumanReporter({
    stdout: { write: () => true },
    stderr: { write: (s: string) => err.push(s) },
    verbosity: "verbose",
    chalk: new Chalk({ level: 0 }),
    version: "0",
  });
  const cwd = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": "PW=hunter2\n" });
  const io = { cwd, env: { PATH: process.env.PATH, VERSION: "abc", ...env }, stdout: { write: () => true }, stderr: { write: () => true }, signal: new AbortController().signal, stdin: Readable.from([]) };
  return { reporter, io, err };
}

describe("loadContext", () => {
  test("loads the config, selects hosts from -r and uses the Recorder under --dry-run", async () => {
    const { reporter, io } = setup();
    const ctx = await loadContext(fromValues({ roles: "web", dryRun: true, lockWait: true, lockWaitTimeout: 60 }), {
      needsSecrets: true, command: "app", subcommand: "boot", modifies: true, reporter, io, version: "dev",
    });
    expect(ctx.config.version).toBe("abc");
    expect(ctx.selection.hosts).toEqual(["1.1.1.1", "1.1.1.2"]);
    expect(ctx.ex).toBeInstanceOf(Recorder);
    expect(ctx.config.secrets.get("PW").reveal()).toBe("hunter2");
    expect(ctx.options).toEqual({
      verbose: false, quiet: false, skipHooks: false, dryRun: true, command: "app", subcommand: "boot",
      lockWait: { enabled: true, timeout: 60, interval: 15, staleAfter: 300 },
    });
    expect(ctx.state).toEqual({ holdsLock: false, preConnectDone: false });
    expect(ctx.randomHex(3)).toMatch(/^[0-9a-f]{6}$/);
  });

  test("a sextant started by a hook with KAMAL_LOCK=true already holds the lock", async () => {
    const { reporter, io } = setup({ KAMAL_LOCK: "true" });
    const ctx = await loadContext(fromValues({ dryRun: true }), { needsSecrets: false, command: "deploy", subcommand: undefined, modifies: true, reporter, io, version: "dev" });
    expect(ctx.state.holdsLock).toBe(true);
  });

  test("pads host prefixes to the selected hosts", async () => {
    const { reporter, io, err } = setup();
    await loadContext(fromValues({ dryRun: true }), { needsSecrets: false, command: "deploy", subcommand: undefined, modifies: true, reporter, io, version: "dev" });
    reporter.output("local", "hi");
    expect(err.at(-1)).toBe("[local]    hi\n");
  });
});

describe("loadConfigFor", () => {
  test("a refused config still shows the warning of the ERB command that left a value empty, before the issue", async () => {
    const { reporter, io, err } = setup();
    const deploy = DEPLOY.replace("password: [PW]", 'password: <%= `echo "no credentials" >&2; exit 2` %>');
    const cwd = appDir({ "config/deploy.yml": deploy });
    await expect(loadConfigFor(fromValues({}), { ...io, cwd }, reporter)).rejects.toThrow("registry/password: is required");
    expect(err.join("")).toMatchInlineSnapshot(`
      "warning: config/deploy.yml:8: \`echo "no credentials" >&2; exit 2\` exited 2: no credentials (its output is used anyway, as Ruby does)
      "
    `);
  });
});
