// The lines of a run's log copy (output.file, output.otel), in the shape Kamal writes them (kamal
// lib/kamal/output/formatter.rb on SSHKit's Pretty formatter, and `say` in lib/kamal/cli/base.rb): what Kamal says
// is the text alone, and everything about a host carries SSHKit's right-aligned level. Where SSHKit names a
// command by a random uuid, these name its host.
import { errorText } from "./error-text.ts";
import { renderOutcomeTable, type HostOutcome } from "./outcome.ts";
import type { Reporter } from "./reporter.ts";

export type Severity = "debug" | "info" | "warn" | "error";

/** One line of the log copy: its text as the file holds it, and what an OTel record says of it. */
export type LogLine = { readonly text: string; readonly severity: Severity; readonly host?: string };

/**
 * A Reporter that turns every event into log lines. Unlike the terminal it keeps everything, whatever the verbosity:
 * each command (`Running ...`) and its output, as Kamal's log copy does. Results (versions, details) stay out, as
 * in Kamal, where they are printed rather than said.
 */
export class LogLineReporter implements Reporter {
  readonly #emit: (line: LogLine) => void;
  readonly #version: string;

  constructor(emit: (line: LogLine) => void, version: string) {
    this.#emit = emit;
    this.#version = version;
  }

  step(title: string): void {
    this.#said(title);
  }
  /** One line per command, as the dry-run plan shows it: a newline inside one (the lock's details) reads `\n`. */
  command(host: string, line: string): void {
    this.#leveled("info", host, `Running ${oneLine(line)}`);
  }
  output(host: string, text: string): void {
    this.#leveled("debug", host, text);
  }
  outputForLogs(host: string, text: string): void {
    this.#leveled("debug", host, text);
  }
  info(message: string, host?: string): void {
    if (host === undefined) this.#said(message);
    else this.#leveled("info", host, message);
  }
  warn(message: string, host?: string): void {
    this.#leveled("warn", host, message);
  }
  result(): void {}
  /** A container's log line is a result, as the terminal prints it: not said (log commands change no server). */
  logLine(): void {}
  /** A dry run's command: planned, never run. */
  planned(host: string, line: string): void {
    this.#leveled("info", host, `Would run ${oneLine(line)}`);
  }
  error(err: unknown): void {
    this.#leveled("error", undefined, errorText(err, { verbose: false, version: this.#version }));
  }
  outcomes(rows: readonly HostOutcome[]): void {
    this.#said(renderOutcomeTable(rows));
  }
  phase(): void {}

  #said(text: string): void {
    for (const line of lines(text)) this.#emit({ text: line, severity: "info" });
  }

  #leveled(severity: Severity, host: string | undefined, text: string): void {
    const level = severity.toUpperCase().padStart(6);
    const prefix = host === undefined ? level : `${level} [${host}]`;
    for (const line of lines(text)) this.#emit({ text: `${prefix} ${line}`, severity, ...(host === undefined ? {} : { host }) });
  }
}

const oneLine = (command: string) => command.replaceAll("\n", "\\n");
const lines = (text: string) => text.replace(/\n$/, "").split("\n");
