// OTLP/HTTP JSON log records as Kamal ships them (kamal lib/kamal/otel_shipper.rb): the same resource attributes,
// severities, bodies and event names, so a dashboard built for Kamal's logs reads sextant's.
import type { LogLine, Severity } from "./log-lines.ts";

export type AnyValue = { readonly stringValue: string } | { readonly doubleValue: number };
export type Attribute = { readonly key: string; readonly value: AnyValue };

export type LogRecord = {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: { readonly stringValue: string };
  readonly eventName?: string;
  readonly attributes?: readonly Attribute[];
};

/** What Kamal's deploy tags say about a run (lib/kamal/tags.rb, without recorded_at and service_version). */
export type RunTags = {
  readonly performer: string;
  readonly destination: string | undefined;
  readonly version: string;
  readonly service: string;
};

// OpenTelemetry's severity numbers for each level (the first of each range).
const SEVERITY_NUMBERS: Readonly<Record<Severity, number>> = { debug: 5, info: 9, warn: 13, error: 17 };

export const text = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });
export const double = (key: string, value: number): Attribute => ({ key, value: { doubleValue: value } });

/**
 * `service.name` is `kamal` and `service.version` the Kamal release sextant follows, so queries written for
 * Kamal's logs keep finding them; the scope (otel-shipper.ts) names sextant. Then the run's id and its tags under
 * OpenTelemetry's keys where one exists (`service.namespace`, `deployment.environment.name`), in Kamal's order.
 */
export function resourceAttributes(tags: RunTags, runId: string, kamalVersion: string): Attribute[] {
  return [
    text("service.name", "kamal"),
    text("service.version", kamalVersion),
    text("kamal.run_id", runId),
    text("kamal.performer", tags.performer),
    ...(tags.destination === undefined ? [] : [text("deployment.environment.name", tags.destination)]),
    text("kamal.deploy_version", tags.version),
    text("service.namespace", tags.service),
  ];
}

/** One line of the log: its text as the body, its host as `server.address`. */
export function lineRecord(line: LogLine, at: Date): LogRecord {
  const attributes = line.host === undefined ? undefined : [text("server.address", line.host)];
  return record(line.text, line.severity, at, undefined, attributes);
}

/** `kamal.start`, `kamal.complete` or `kamal.failed`: the name is both the body and the event name. */
export function eventRecord(name: string, severity: Severity, attributes: readonly Attribute[], at: Date): LogRecord {
  return record(name, severity, at, name, attributes);
}

function record(body: string, severity: Severity, at: Date, eventName: string | undefined, attributes: readonly Attribute[] | undefined): LogRecord {
  const now = unixNano(at);
  return {
    timeUnixNano: now,
    observedTimeUnixNano: now,
    severityNumber: SEVERITY_NUMBERS[severity],
    severityText: severity.toUpperCase(),
    body: { stringValue: body },
    ...(eventName === undefined ? {} : { eventName }),
    ...(attributes === undefined ? {} : { attributes }),
  };
}

/** The body of one POST to `/v1/logs`. */
export function logsPayload(resource: readonly Attribute[], scope: { name: string; version: string }, records: readonly LogRecord[]) {
  return { resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope, logRecords: records }] }] };
}

/** Nanoseconds since the epoch, as a decimal string (OTLP's JSON form of a 64-bit integer). */
const unixNano = (at: Date): string => (BigInt(at.getTime()) * 1_000_000n).toString();
