// The NDJSON events of `--json`, one per line on stdout. Each has `v` (this format's version), `type` (`noun.verb`
// or a noun) and `ts` (ISO 8601, UTC); `host` and `role` where they apply. Adding fields keeps `v: 1`;
// renaming or removing one needs `v: 2`. Documented in docs/json-output.md. Only tests parse these schemas, so the
// JSON reporter does not load zod on startup.
import * as z from "zod";
import { HOST_PHASES } from "./host-phases.ts";

const base = { v: z.literal(1), ts: z.iso.datetime() };
const host = z.string().describe("the host, or `local` for this machine");

export const stepStartEvent = z.strictObject({ ...base, type: z.literal("step.start"), title: z.string() });
export const commandEvent = z.strictObject({ ...base, type: z.literal("command"), host, line: z.string() });
export const outputEvent = z.strictObject({ ...base, type: z.literal("output"), host, text: z.string() });
export const infoEvent = z.strictObject({ ...base, type: z.literal("info"), message: z.string(), host: host.optional() });
export const warnEvent = z.strictObject({ ...base, type: z.literal("warn"), message: z.string(), host: host.optional() });
export const resultEvent = z.strictObject({
  ...base,
  type: z.literal("result"),
  text: z.string(),
  /** the result as data, for results that have a structure (`sextant config`) */
  data: z.unknown().optional(),
});
export const plannedEvent = z.strictObject({ ...base, type: z.literal("planned"), host, line: z.string() });
export const logEvent = z.strictObject({
  ...base,
  type: z.literal("log"),
  host,
  /** the role (app logs) or accessory whose container wrote the line */
  name: z.string().optional(),
  line: z.string(),
});

const issue = z.strictObject({
  file: z.string(),
  path: z.string(),
  message: z.string(),
  fix: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const errorEvent = z.strictObject({
  ...base,
  type: z.literal("error"),
  /** the error class, e.g. ConfigError; `bug` for errors that are not sextant's own */
  kind: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  exitCode: z.number().int(),
  host: host.optional(),
  issues: z.array(issue).optional(),
});

const outcome = {
  host,
  role: z.string(),
  oldVersion: z.string().nullable(),
  newVersion: z.string(),
  result: z.enum(["ok", "failed", "skipped"]),
  seconds: z.number(),
  error: z.string().optional(),
};

export const deployHostEvent = z.strictObject({ ...base, type: z.literal("deploy.host"), ...outcome });

export const hostPhaseEvent = z.strictObject({ ...base, type: z.literal("host.phase"), host, phase: z.enum(HOST_PHASES) });

export const runEndEvent = z.strictObject({
  ...base,
  type: z.literal("run.end"),
  /** what the process exits with (docs/exit-codes.md) */
  exitCode: z.number().int(),
  /** how long the run took */
  seconds: z.number(),
  /** every `deploy.host` row of the run; empty when nothing was deployed */
  hosts: z.array(z.strictObject(outcome)),
});

export const event = z.discriminatedUnion("type", [
  stepStartEvent,
  commandEvent,
  outputEvent,
  infoEvent,
  warnEvent,
  resultEvent,
  plannedEvent,
  logEvent,
  errorEvent,
  deployHostEvent,
  hostPhaseEvent,
  runEndEvent,
]);

export type Event = z.infer<typeof event>;
