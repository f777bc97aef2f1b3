import type { ChalkInstance } from "chalk";

/** How a deploy went on one host and role: one row of the summary table and one `deploy.host` JSON event. */
export type HostOutcome = {
  readonly host: string;
  readonly role: string;
  /** the version that ran before, if any */
  readonly oldVersion: string | undefined;
  readonly newVersion: string;
  readonly result: "ok" | "failed" | "skipped";
  readonly seconds: number;
  /** why it failed, one line */
  readonly error?: string;
};

const HEADINGS = ["HOST", "ROLE", "OLD", "NEW", "RESULT", "TIME"] as const;

/**
 * The per-host summary printed after a deploy, columns padded to their widest cell. The result column says
 * "ok"/"FAILED"/"skipped" in words, so colour only repeats what the text already says.
 */
export function renderOutcomeTable(rows: readonly HostOutcome[], chalk?: ChalkInstance): string {
  const cells = rows.map((r) => [
    r.host,
    r.role,
    r.oldVersion ?? "-",
    r.newVersion,
    r.result === "failed" ? "FAILED" : r.result,
    `${r.seconds.toFixed(1)}s`,
  ]);
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: readonly string[]) =>
    c.map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ");
  const paint = (row: HostOutcome, text: string) => {
    if (!chalk) return text;
    if (row.result === "failed") return chalk.red(text);
    return row.result === "skipped" ? chalk.dim(text) : text;
  };
  const body = rows.map((row, i) => {
    const text = line(cells[i] ?? []);
    return paint(row, row.error ? `${text}  ${row.error}` : text);
  });
  return [line(HEADINGS), ...body].join("\n");
}
