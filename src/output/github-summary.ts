import type { HostOutcome } from "./outcome.ts";

export type RunSummary = {
  /** the command that ran (`deploy`), for the heading */
  readonly command: string | undefined;
  readonly exitCode: number;
  readonly outcomes: readonly HostOutcome[];
  /** the failure as the log shows it, when the run failed */
  readonly failure: string | undefined;
};

/**
 * The run's section of the GitHub Actions job summary (Markdown, appended to $GITHUB_STEP_SUMMARY): how it ended,
 * the per-host outcome table of a deploy, and the failure.
 */
export function jobSummary(s: RunSummary): string {
  const name = s.command ? `sextant ${s.command}` : "sextant";
  const ended = s.exitCode === 0 ? "succeeded" : s.exitCode === 130 ? "was interrupted" : "failed";
  const parts = [`### ${cell(name)} ${ended} (exit code ${s.exitCode})`];
  if (s.outcomes.length > 0) {
    const rows = s.outcomes.map((o) => [
      `\`${o.host}\``, o.role, o.oldVersion ?? "-", o.newVersion,
      o.result === "failed" ? `**FAILED**${o.error ? `: ${o.error}` : ""}` : o.result,
      `${o.seconds.toFixed(1)}s`,
    ]);
    parts.push(
      ["| Host | Role | Old | New | Result | Time |", "| --- | --- | --- | --- | --- | --- |", ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n"),
    );
  }
  if (s.failure) parts.push(fenced(s.failure));
  return `${parts.join("\n\n")}\n\n`;
}

/** A table cell holds one line, and a `|` or `<` in it must not end the cell or open HTML. */
const cell = (s: string) => s.replaceAll("\n", " ").replaceAll("|", "\\|").replaceAll("<", "&lt;");

/** A code block whose fence is longer than any run of backticks inside it. */
function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}
