import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { LockHeldError } from "../../src/errors.ts";
import { startLogCopies, type LogCopyOptions } from "../../src/output/log-copies.ts";
import { MemoryReporter } from "../../src/output/memory.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";

const startedAt = new Date(2026, 11, 6, 3, 45, 6);
let receiver: OtlpReceiver | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function options(over: Partial<LogCopyOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sextant-copies-"));
  dirs.push(dir);
  const terminal = new MemoryReporter();
  const o: LogCopyOptions = {
    file: { path: dir },
    otel: undefined,
    run: { command: "app", subcommand: "stop", destination: undefined, startedAt, dryRun: false },
    terminal,
    tags: () => Promise.resolve({ performer: "me", destination: undefined, version: "abc", service: "app" }),
    runId: () => "run-1",
    now: () => new Date(startedAt.getTime() + 500),
    versions: { kamal: "2.12.0", sextant: "0.1.0" },
    ...over,
  };
  const file = () => readFileSync(join(dir, readdirSync(dir)[0] ?? ""), "utf8");
  return { o, terminal, dir, file };
}

describe("startLogCopies", () => {
  test("its reporter tells the terminal everything, and the file too; the terminal hears where the log went", async () => {
    const { o, terminal, dir, file } = options();
    const copies = await startLogCopies(o);
    copies.reporter.step("Stopping app...");
    copies.reporter.command("web-1", "docker stop app");
    copies.reporter.outputForLogs?.("web-1", "app-web-abc");
    copies.reporter.result("a result");
    await copies.finish(undefined);
    expect(file()).toBe("Stopping app...\n  INFO [web-1] Running docker stop app\n DEBUG [web-1] app-web-abc\n# Completed in 0.5s\n");
    expect(terminal.events.map(({ v: _v, ts: _ts, ...event }) => event)).toEqual([
      { type: "step.start", title: "Stopping app..." },
      { type: "command", host: "web-1", line: "docker stop app" },
      { type: "result", text: "a result" },
      { type: "info", message: `Logs written to ${join(dir, "2026-12-06T03-45-06_app_stop.log")}` },
    ]);
  });

  test("a failure ends the file with it, and the collector gets kamal.failed", async () => {
    receiver = await startOtlpReceiver();
    const { o, terminal, file } = options();
    const copies = await startLogCopies({ ...o, otel: { endpoint: receiver.endpoint } });
    await copies.finish(new LockHeldError("Deploy lock already held"));
    expect(file()).toBe("# FAILED: LockHeldError: Deploy lock already held (0.5s)\n");
    const bodies = JSON.stringify(receiver.received.map((r) => r.body));
    expect(bodies).toContain('"eventName":"kamal.failed"');
    expect(terminal.events.filter((e) => e.type === "info").map((e) => "message" in e && e.message)).toEqual([
      expect.stringMatching(/^Logs written to /),
      `Logs sent to ${receiver.endpoint}`,
    ]);
  });

  test("a dry run writes its file, marked, and sends nothing to the collector, saying so", async () => {
    receiver = await startOtlpReceiver();
    const { o, terminal, dir, file } = options();
    const copies = await startLogCopies({ ...o, otel: { endpoint: receiver.endpoint }, run: { ...o.run, dryRun: true } });
    copies.reporter.planned("web-1", "docker stop app");
    await copies.finish(undefined);
    expect(readdirSync(dir)).toEqual(["2026-12-06T03-45-06_app_stop_dry-run.log"]);
    expect(file()).toBe("# Dry run: nothing was sent to any host\n  INFO [web-1] Would run docker stop app\n# Completed in 0.5s\n");
    expect(receiver.received).toEqual([]);
    expect(terminal.events.filter((e) => e.type === "info").map((e) => "message" in e && e.message)).toEqual([
      `Dry run: no logs sent to ${receiver.endpoint}`,
      expect.stringMatching(/^Logs written to .*_dry-run\.log$/),
    ]);
  });
});
