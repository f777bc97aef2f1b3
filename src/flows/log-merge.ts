// `logs --merge`: the lines of several hosts as one list in time order, by the timestamp docker's `--timestamps`
// writes at the start of every line (RFC 3339 with nanoseconds: `2026-01-02T03:04:05.123456789Z`).
import type { LogSource } from "../output/reporter.ts";

export type SourceOutput = { readonly source: LogSource; readonly text: string };
export type SourcedLine = { readonly source: LogSource; readonly line: string };

/** Seconds, then nanoseconds: a JavaScript number cannot hold nanoseconds since 1970 exactly. */
type Instant = readonly [seconds: number, nanos: number];

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;
const BEFORE_ALL: Instant = [-Infinity, 0];

/** The instant a docker timestamp at the start of `line` names, or undefined for a line without one. */
export function timestampOf(line: string): Instant | undefined {
  const m = TIMESTAMP.exec(line);
  if (!m?.[1] || !m[3]) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  return Number.isNaN(ms) ? undefined : [ms / 1000, Number((m[2] ?? "").padEnd(9, "0"))];
}

/** The line without docker's timestamp: `-T --merge` asks docker for timestamps only to order the lines. */
export const withoutTimestamp = (line: string): string => line.replace(TIMESTAMP, "");

/**
 * Every line of every output, ordered by timestamp. A line without one (grep's `--` between matches, an error
 * docker printed) keeps the time of the line before it, so it stays next to it; lines before any timestamp come
 * first. Equal times keep their order: outputs as given, then lines as written.
 */
export function mergeByTimestamp(outputs: readonly SourceOutput[]): SourcedLine[] {
  const timed: { at: Instant; order: number; line: SourcedLine }[] = [];
  for (const { source, text } of outputs) {
    let at = BEFORE_ALL;
    for (const line of linesOf(text)) {
      at = timestampOf(line) ?? at;
      timed.push({ at, order: timed.length, line: { source, line } });
    }
  }
  return timed.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || a.order - b.order).map((t) => t.line);
}

const linesOf = (text: string): string[] =>
  text === "" ? [] : text.replace(/\r?\n$/, "").split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
