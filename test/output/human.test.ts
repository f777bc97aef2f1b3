import { Chalk } from "chalk";
import { describe, expect, test } from "vitest";
import { ConfigError, SextantError } from "../../src/errors.ts";
import { HumanReporter, type Verbosity } from "../../src/output/human.ts";

function reporter(verbosity: Verbosity = "normal") {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const r = new HumanReporter({
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    verbosity,
    chalk: new Chalk({ level: 0 }),
    version: "1.2.3",
    now: () => (clock += 1500),
  });
  return { r, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("HumanReporter", () => {
  test("pads host prefixes to the longest host on every line, continuation lines included", () => {
    const { r, stderr } = reporter("verbose");
    r.padTo(["web-1", "worker-10"]);
    r.output("web-1", "pulling app:42\ndone\n");
    r.output("worker-10", "pulling app:42");
    expect(stderr()).toMatchInlineSnapshot(`
      "[web-1]      pulling app:42
      [web-1]      done
      [worker-10]  pulling app:42
      "
    `);
  });

  test("shows commands and remote output only under -v", () => {
    const normal = reporter("normal");
    normal.r.command("web-1", "docker ps");
    normal.r.output("web-1", "CONTAINER ID");
    expect(normal.stderr()).toBe("");

    const verbose = reporter("verbose");
    verbose.r.command("web-1", "docker ps");
    expect(verbose.stderr()).toBe("[web-1]  $ docker ps\n");
  });

  test("steps carry the time since the run started; -q hides steps, info and warnings but not errors", () => {
    const normal = reporter();
    normal.r.step("Acquiring the deploy lock...");
    normal.r.warn("hooks_output is deprecated", "local");
    expect(normal.stderr()).toMatchInlineSnapshot(`
      "▸ Acquiring the deploy lock... +1.5s
      [local]  warning: hooks_output is deprecated
      "
    `);

    const quiet = reporter("quiet");
    quiet.r.step("Acquiring the deploy lock...");
    quiet.r.info("booted");
    quiet.r.warn("careful");
    quiet.r.error(new SextantError("boom", { hint: "do less" }));
    expect(quiet.stderr()).toBe("✗ boom\n  fix: do less\n");
  });

  test("results and dry-run lines go to stdout, one line per command, narration to stderr", () => {
    const { r, stdout, stderr } = reporter();
    r.result("0.1.0");
    r.planned("local", "docker build .");
    r.planned("10.0.0.1", "docker pull app:1");
    r.planned("10.0.0.1", "echo 'a\nb' > f");
    r.info("done");
    expect(stdout()).toBe("0.1.0\nlocal\tdocker build .\n10.0.0.1\tdocker pull app:1\n10.0.0.1\techo 'a\\nb' > f\n");
    expect(stderr()).toBe("done\n");
  });

  test("prints one line per config issue, each with its fix", () => {
    const { r, stderr } = reporter();
    r.error(
      new ConfigError([
        { file: "config/deploy.yml", line: 3, column: 5, path: "servers/web/hosts", message: "should be an array", fix: "list the hosts" },
        { file: "config/deploy.yml", path: "service", message: "is required" },
      ]),
    );
    expect(stderr()).toMatchInlineSnapshot(`
      "✗ config/deploy.yml:3:5: servers/web/hosts: should be an array
        fix: list the hosts
      ✗ config/deploy.yml: service: is required
      "
    `);
  });

  test("indents the continuation lines of an error under its first line", () => {
    const { r, stderr } = reporter();
    r.error(new SextantError("Hook `pre-build` failed: .kamal/hooks/pre-build exited 1:\nstep one\nstep two", { hint: "fix it" }));
    expect(stderr()).toMatchInlineSnapshot(`
      "✗ Hook \`pre-build\` failed: .kamal/hooks/pre-build exited 1:
        step one
        step two
        fix: fix it
      "
    `);
  });

  test("calls an unexpected error a bug, with the version, and shows the stack only under -v", () => {
    const plain = reporter();
    plain.r.error(new TypeError("x is undefined"));
    expect(plain.stderr()).toMatchInlineSnapshot(`
      "✗ this is a bug in sextant 1.2.3: TypeError: x is undefined
        please report it at https://github.com/sextant-deploy/sextant/issues with the command you ran and its output with -v
      "
    `);
    expect(plain.stderr()).not.toContain("    at ");

    const verbose = reporter("verbose");
    verbose.r.error(new SextantError("outer", { cause: new Error("inner") }));
    expect(verbose.stderr()).toContain("caused by: Error: inner\n    at ");
  });

  test("renders the deploy summary as a table", () => {
    const { r, stderr } = reporter("quiet");
    r.outcomes([
      { host: "web-1", role: "web", oldVersion: "abc1234", newVersion: "def5678", result: "ok", seconds: 4.21 },
      { host: "worker-10", role: "workers", oldVersion: undefined, newVersion: "def5678", result: "failed", seconds: 12, error: "health check timed out" },
    ]);
    expect(stderr()).toMatchInlineSnapshot(`
      "HOST       ROLE     OLD      NEW      RESULT  TIME
      web-1      web      abc1234  def5678  ok      4.2s
      worker-10  workers  -        def5678  FAILED  12.0s  health check timed out
      "
    `);
  });
});

describe("HumanReporter in a dry run", () => {
  test("steps carry no time, since nothing ran", () => {
    const out: string[] = [];
    const r = new HumanReporter({ stdout: { write: () => true }, stderr: { write: (s: string) => out.push(s) }, verbosity: "normal",
      chalk: new Chalk({ level: 0 }), version: "1.2.3", dryRun: true });
    r.step("Acquiring the deploy lock...");
    expect(out.join("")).toBe("▸ Acquiring the deploy lock...\n");
  });

  test("once the plan has begun, results go to stderr and stdout holds only HOST<TAB>COMMAND lines", () => {
    const { r, stdout, stderr } = reporter();
    r.result("before any plan: a result of its own");
    r.planned("web-1", "docker ps");
    r.result("App Host: web-1\n");
    expect(stdout()).toBe("before any plan: a result of its own\nweb-1\tdocker ps\n");
    expect(stderr()).toBe("App Host: web-1\n");
  });
});
