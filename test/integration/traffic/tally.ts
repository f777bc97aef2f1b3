// The per-kind table printed after each command under the traffic mix, and the counts tests assert on.
import type { Kind, Outcome, TrafficRecord } from "./record.ts";

export type KindTally = {
  readonly sent: number;
  readonly answered: number;
  readonly failed: number;
  /** ended by kamal-proxy by design: 504, 503, closed */
  readonly ended: Readonly<Record<Exclude<Outcome, "answered" | "failed">, number>>;
  /** how many units each app version answered (or held, for a websocket the proxy closed) */
  readonly versions: ReadonlyMap<string, number>;
  /** the first few failures, for the assertion message */
  readonly errors: readonly string[];
};

export function tally(records: readonly TrafficRecord[]): Map<Kind, KindTally> {
  const kinds = new Map<Kind, TrafficRecord[]>();
  for (const record of records) kinds.set(record.kind, [...(kinds.get(record.kind) ?? []), record]);
  return new Map([...kinds].map(([kind, of]) => {
    const count = (outcome: Outcome) => of.filter((r) => r.outcome === outcome).length;
    const versions = new Map<string, number>();
    for (const r of of) if (r.version !== undefined) versions.set(r.version, (versions.get(r.version) ?? 0) + 1);
    const errors = of.filter((r) => r.outcome === "failed").slice(0, 5).map((r) => `${r.host}: ${r.error ?? "?"}`);
    const ended = { "504": count("504"), "503": count("503"), closed: count("closed") };
    return [kind, { sent: of.length, answered: count("answered"), failed: count("failed"), ended, versions, errors }];
  }));
}

export function formatTally(title: string, tallies: ReadonlyMap<Kind, KindTally>): string {
  const header = ["KIND", "SENT", "ANSWERED", "FAILED", "504", "503", "CLOSED", "VERSIONS"];
  const rows = [...tallies].map(([kind, t]) => [
    kind, String(t.sent), String(t.answered), String(t.failed), String(t.ended["504"]), String(t.ended["503"]),
    String(t.ended.closed), [...t.versions].sort().map(([v, n]) => `${v}×${n}`).join(" "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  return [title, line(header), ...rows.map(line)].join("\n");
}
