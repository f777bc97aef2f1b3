import { afterEach, describe, expect, test } from "vitest";
import type { LoggedRun } from "../../src/output/log-sink.ts";
import { OtelSink, type OtelSinkOptions } from "../../src/output/otel-sink.ts";
import { closedPort, startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";

const at = new Date("2026-12-06T03:45:06.500Z");
const NANOS = "1796528706500000000";
const run = (over: Partial<LoggedRun> = {}): LoggedRun =>
  ({ command: "deploy", subcommand: undefined, destination: "production", startedAt: at, dryRun: false, ...over });

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function sink(endpoint: string, over: Partial<OtelSinkOptions> = {}) {
  const warnings: string[] = [];
  const s = new OtelSink({
    endpoint,
    run: run(),
    tags: { performer: "deployer@example.com", destination: "production", version: "abc123", service: "myapp" },
    runId: "00000000-0000-4000-8000-000000000001",
    versions: { kamal: "2.12.0", sextant: "0.1.0" },
    now: () => at,
    warn: (m) => warnings.push(m),
    ...over,
  });
  return { s, warnings };
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const records = (r: OtlpReceiver) =>
  r.received.flatMap((p) => (p.body as { resourceLogs: [{ scopeLogs: [{ logRecords: unknown[] }] }] }).resourceLogs[0].scopeLogs[0].logRecords);

describe("OtelSink", () => {
  test("posts Kamal's OTLP/HTTP JSON to <endpoint>/v1/logs: a start event, the lines, a complete event", async () => {
    receiver = await startOtlpReceiver();
    const { s, warnings } = sink(`${receiver.endpoint}/`);
    s.write({ text: "Acquiring the deploy lock...", severity: "info" });
    s.write({ text: " DEBUG [web-1] abc123", severity: "debug", host: "web-1" });
    expect(await s.finish({ seconds: 12.345 })).toBe(`Logs sent to ${receiver.endpoint}/`);
    expect(warnings).toEqual([]);
    expect(receiver.received.map((r) => [r.path, r.contentType])).toEqual([["/v1/logs", "application/json"]]);
    expect(receiver.received[0]?.body).toEqual({
      resourceLogs: [{
        resource: {
          attributes: [
            str("service.name", "kamal"),
            str("service.version", "2.12.0"),
            str("kamal.run_id", "00000000-0000-4000-8000-000000000001"),
            str("kamal.performer", "deployer@example.com"),
            str("deployment.environment.name", "production"),
            str("kamal.deploy_version", "abc123"),
            str("service.namespace", "myapp"),
          ],
        },
        scopeLogs: [{
          scope: { name: "sextant", version: "0.1.0" },
          logRecords: [
            {
              timeUnixNano: NANOS, observedTimeUnixNano: NANOS, severityNumber: 9, severityText: "INFO",
              body: { stringValue: "kamal.start" }, eventName: "kamal.start",
              attributes: [
                str("kamal.command", "deploy"),
                str("deployment.id", "00000000-0000-4000-8000-000000000001"),
                str("deployment.name", "deploy myapp"),
              ],
            },
            {
              timeUnixNano: NANOS, observedTimeUnixNano: NANOS, severityNumber: 9, severityText: "INFO",
              body: { stringValue: "Acquiring the deploy lock..." },
            },
            {
              timeUnixNano: NANOS, observedTimeUnixNano: NANOS, severityNumber: 5, severityText: "DEBUG",
              body: { stringValue: " DEBUG [web-1] abc123" }, attributes: [str("server.address", "web-1")],
            },
            {
              timeUnixNano: NANOS, observedTimeUnixNano: NANOS, severityNumber: 9, severityText: "INFO",
              body: { stringValue: "kamal.complete" }, eventName: "kamal.complete",
              attributes: [
                str("kamal.command", "deploy"),
                { key: "kamal.runtime", value: { doubleValue: 12.3 } },
                str("deployment.id", "00000000-0000-4000-8000-000000000001"),
                str("deployment.name", "deploy myapp"),
                str("deployment.status", "succeeded"),
              ],
            },
          ],
        }],
      }],
    });
  });

  test("a failed run ends with kamal.failed at ERROR, naming the exception; other commands are no deployment", async () => {
    receiver = await startOtlpReceiver();
    const { s } = sink(receiver.endpoint, { run: run({ command: "app", subcommand: "boot", destination: undefined }) });
    await s.finish({ seconds: 3, error: { type: "HostsFailedError", message: "2 hosts failed" } });
    expect(records(receiver)).toEqual([
      {
        timeUnixNano: NANOS, observedTimeUnixNano: NANOS, severityNumber: 9, severityText: "INFO",
        body: { stringValue: "kamal.start" }, eventName: "kamal.start", attributes: [str("kamal.command", "app boot")],
      },
      {
        timeUnixNano: NANOS, observedTimeUnixNano: NANOS, severityNumber: 17, severityText: "ERROR",
        body: { stringValue: "kamal.failed" }, eventName: "kamal.failed",
        attributes: [
          str("kamal.command", "app boot"),
          { key: "kamal.runtime", value: { doubleValue: 3 } },
          str("exception.type", "HostsFailedError"),
          str("exception.message", "2 hosts failed"),
        ],
      },
    ]);
  });

  test("sends 100 records per POST, and starts as soon as 100 are waiting", async () => {
    receiver = await startOtlpReceiver();
    const { s } = sink(receiver.endpoint);
    for (let i = 1; i <= 250; i++) s.write({ text: `line ${i}`, severity: "info" });
    // kamal.start and 99 lines made 100, which started a flush before the run ended; it took all 251 waiting by
    // then, in POSTs of 100. kamal.complete went at the end.
    await expect.poll(() => receiver?.received.length).toBe(3);
    await s.finish({ seconds: 1 });
    expect(receiver.received.map((r) => records({ ...receiver!, received: [r] }).length)).toEqual([100, 100, 51, 1]);
  });

  test("a collector that cannot be reached is said once and does not fail the run", async () => {
    const { s, warnings } = sink(`http://127.0.0.1:${await closedPort()}`);
    for (let i = 1; i <= 150; i++) s.write({ text: `line ${i}`, severity: "info" });
    expect(await s.finish({ seconds: 1 })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^OTel log shipping failed: ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  test("a collector that answers with an error status is said once, with the status", async () => {
    receiver = await startOtlpReceiver(500);
    const { s, warnings } = sink(receiver.endpoint);
    for (let i = 1; i <= 150; i++) s.write({ text: `line ${i}`, severity: "info" });
    expect(await s.finish({ seconds: 1 })).toBeUndefined();
    expect(warnings).toEqual(["OTel log shipping failed: HTTP 500 Internal Server Error"]);
    expect(receiver.received).toHaveLength(2);
  });
});
