import { describe, expect, test } from "vitest";
import { createReporter, isCi, progressKind } from "../../src/output/create.ts";
import { event } from "../../src/output/events.ts";

function made(env: Record<string, string>, stderrIsTTY = false) {
  let stderr = "";
  let stdout = "";
  const reporter = createReporter({
    json: false, verbosity: "normal", noColor: true, version: "1.2.3", env, cwd: "/repo/apps/shop",
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: stderrIsTTY },
  });
  return { reporter, stderr: () => stderr, stdout: () => stdout };
}

describe("createReporter", () => {
  test("under GitHub Actions, groups steps and points annotations at the config inside the workspace", () => {
    const { reporter, stderr } = made({ GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: "/repo" });
    reporter.step("Pull app image...");
    reporter.error(Object.assign(new Error("x"), { name: "Bug" }));
    reporter.end(1);
    expect(stderr()).toMatch(/^::group::Pull app image\.\.\.\n▸ Pull app image\.\.\. \+\d\.\ds\n::endgroup::\n::error title=sextant%3A this is a bug in sextant::Bug: x\n/);
  });

  test("on a terminal, draws the hosts' phases in place; in a log, never", () => {
    const terminal = made({}, true);
    terminal.reporter.phase?.("web-1", "pull");
    terminal.reporter.end(0);
    expect(terminal.stderr()).toBe("[web-1]  pull    0s\n\x1b[1A\r\x1b[J");

    const log = made({});
    log.reporter.phase?.("web-1", "pull");
    log.reporter.end(0);
    expect(log.stderr()).toBe("");
  });
});

describe("log lines", () => {
  function logs(env: Record<string, string>, stdoutIsTTY: boolean, noColor = false) {
    let stdout = "";
    const reporter = createReporter({
      json: false, verbosity: "quiet", noColor, version: "1.2.3", env,
      stdout: { write: (s: string) => (stdout += s), isTTY: stdoutIsTTY },
      stderr: { write: () => true, isTTY: false },
    });
    reporter.logSources?.([{ host: "web-1" }, { host: "web-22" }]);
    reporter.logLine({ host: "web-1" }, "GET /");
    reporter.logLine({ host: "web-22" }, "GET /up");
    reporter.end(0);
    return stdout;
  }

  test("go to stdout, even under -q, labelled with their host and coloured by host when stdout is a terminal", () => {
    expect(logs({}, true)).toBe("\x1b[36mweb-1\x1b[39m  | GET /\n\x1b[33mweb-22\x1b[39m | GET /up\n");
  });

  test("stay plain in a pipe, under NO_COLOR and with --no-color", () => {
    const plain = "web-1  | GET /\nweb-22 | GET /up\n";
    expect([logs({}, false), logs({ NO_COLOR: "1" }, true), logs({}, true, true)]).toEqual([plain, plain, plain]);
  });

  test("with --json, are log events carrying the host and the line", () => {
    let stdout = "";
    const reporter = createReporter({ json: true, verbosity: "normal", noColor: false, version: "1.2.3", stdout: { write: (s: string) => (stdout += s) } });
    reporter.logLine({ host: "web-1", name: "web" }, "GET /");
    expect(event.parse(JSON.parse(stdout))).toMatchObject({ v: 1, type: "log", host: "web-1", name: "web", line: "GET /" });
  });
});

describe("progressKind", () => {
  test("a live view on a terminal, a heartbeat in CI or any log, neither under -q; -v gets no live view", () => {
    expect(progressKind({}, "normal", true)).toBe("live");
    expect(progressKind({}, "verbose", true)).toBe(undefined);
    expect(progressKind({ CI: "true" }, "normal", true)).toBe("heartbeat");
    expect(progressKind({}, "normal", false)).toBe("heartbeat");
    expect(progressKind({}, "verbose", false)).toBe("heartbeat");
    expect(progressKind({ CI: "true" }, "quiet", false)).toBe(undefined);
  });

  test("a dry run waits for nothing, so it gets neither", () => {
    expect(progressKind({}, "normal", true, true)).toBe(undefined);
    expect(progressKind({ CI: "true" }, "normal", false, true)).toBe(undefined);
  });

  test("CI is any value of CI but empty, false and 0, or GitHub Actions", () => {
    expect([isCi({ CI: "true" }), isCi({ CI: "1" }), isCi({ CI: "woodpecker" }), isCi({ GITHUB_ACTIONS: "true" })]).toEqual([true, true, true, true]);
    expect([isCi({}), isCi({ CI: "" }), isCi({ CI: "false" }), isCi({ CI: "0" })]).toEqual([false, false, false, false]);
  });
});
