import { describe, expect, test } from "vitest";
import { ConfigError, RemoteCommandError } from "../../src/errors.ts";
import { event } from "../../src/output/events.ts";
import { JsonReporter } from "../../src/output/json.ts";
import { MemoryReporter } from "../../src/output/memory.ts";

describe("JsonReporter", () => {
  test("writes one schema-valid event per line, each with v, type and ts", () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const r = new JsonReporter({ write: (s: string) => lines.push(s) }, {
      stderr: { write: (s: string) => errors.push(s) },
      version: "1.2.3",
      clock: () => new Date("2026-01-02T03:04:05Z"),
    });
    r.step("Acquiring the deploy lock...");
    r.command("web-1", "docker ps");
    r.output("web-1", "CONTAINER ID");
    r.info("booted", "web-1");
    r.warn("slow");
    r.result("0.1.0", { version: "0.1.0" });
    r.planned("local", "docker build .");
    r.error(new RemoteCommandError("web-1", "docker pull app:1", { code: 1, stderr: "unauthorized" }, { hint: "log in" }));
    r.outcomes([{ host: "web-1", role: "web", oldVersion: undefined, newVersion: "2", result: "ok", seconds: 1.5 }]);

    const events = lines.map((l) => {
      expect(l.endsWith("\n")).toBe(true);
      return event.parse(JSON.parse(l));
    });
    expect(events.map((e) => e.type)).toEqual([
      "step.start", "command", "output", "info", "warn", "result", "planned", "error", "deploy.host",
    ]);
    expect(events[0]).toEqual({ v: 1, ts: "2026-01-02T03:04:05.000Z", type: "step.start", title: "Acquiring the deploy lock..." });
    expect(events[7]).toEqual({
      v: 1, ts: "2026-01-02T03:04:05.000Z", type: "error", kind: "RemoteCommandError",
      message: "[web-1] docker pull app:1 exited 1: unauthorized", hint: "log in", exitCode: 1, host: "web-1",
    });
    expect(events[8]).toMatchObject({ type: "deploy.host", host: "web-1", role: "web", oldVersion: null, result: "ok" });
    // A person watching still sees why it stopped.
    expect(errors.join("")).toBe("✗ [web-1] docker pull app:1 exited 1: unauthorized\n  fix: log in\n");
  });

  test("config errors carry their issues", () => {
    const r = new MemoryReporter();
    r.error(new ConfigError([{ file: "config/deploy.yml", path: "service", message: "is required", line: 1, column: 1 }]));
    const e = event.parse(r.events[0]);
    expect(e).toMatchObject({
      type: "error",
      kind: "ConfigError",
      exitCode: 2,
      issues: [{ file: "config/deploy.yml", path: "service", message: "is required", line: 1, column: 1 }],
    });
  });

  test("an error that is not sextant's own is reported as a bug", () => {
    const r = new MemoryReporter();
    r.error(new RangeError("bad"));
    expect(r.events[0]).toEqual({ v: 1, ts: "1970-01-01T00:00:00.000Z", type: "error", kind: "bug", message: "RangeError: bad", exitCode: 1 });
  });

  test("reports a host's phase when it changes, not again for the same phase", () => {
    const r = new MemoryReporter();
    r.phase("web-1", "boot");
    r.phase("web-1", "boot");
    r.phase("web-1", "health");
    expect(r.events.map((e) => event.parse(e))).toEqual([
      { v: 1, ts: "1970-01-01T00:00:00.000Z", type: "host.phase", host: "web-1", phase: "boot" },
      { v: 1, ts: "1970-01-01T00:00:00.000Z", type: "host.phase", host: "web-1", phase: "health" },
    ]);
  });

  test("a dry run tells no host phases: it observed none", () => {
    const lines: string[] = [];
    const r = new JsonReporter({ write: (s: string) => lines.push(s) }, { dryRun: true, clock: () => new Date(0) });
    r.phase("web-1", "boot");
    r.phase("web-1", "done");
    r.step("Booting...");
    expect(lines).toEqual(['{"v":1,"ts":"1970-01-01T00:00:00.000Z","type":"step.start","title":"Booting..."}\n']);
  });

  test("ends every run with one run.end: exit code, duration and every outcome row", () => {
    let now = Date.parse("2026-01-02T03:04:05Z");
    const r = new MemoryReporter(() => new Date(now));
    r.outcomes([{ host: "web-1", role: "web", oldVersion: "41", newVersion: "42", result: "ok", seconds: 1.5 }]);
    r.outcomes([{ host: "web-2", role: "web", oldVersion: undefined, newVersion: "42", result: "failed", seconds: 2, error: "unhealthy" }]);
    now += 12_345;
    r.end(1);
    r.end(1);
    const ends = r.events.filter((e) => e.type === "run.end");
    expect(ends.map((e) => event.parse(e))).toEqual([{
      v: 1, ts: "2026-01-02T03:04:17.345Z", type: "run.end", exitCode: 1, seconds: 12.345,
      hosts: [
        { host: "web-1", role: "web", oldVersion: "41", newVersion: "42", result: "ok", seconds: 1.5 },
        { host: "web-2", role: "web", oldVersion: null, newVersion: "42", result: "failed", seconds: 2, error: "unhealthy" },
      ],
    }]);
    expect(r.events.at(-1)?.type).toBe("run.end");
  });
});
