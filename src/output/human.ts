import type { ChalkInstance } from "chalk";
import type { LogSource, Reporter } from "./reporter.ts";
import { LogPrefixes } from "./log-prefix.ts";
import { errorText } from "./error-text.ts";
import type { HostPhase } from "./host-phases.ts";
import { renderOutcomeTable, type HostOutcome } from "./outcome.ts";
import { monotonicMs, type Progress } from "./progress.ts";

export type Verbosity = "quiet" | "normal" | "verbose";

/** Anything we can write text to: process.stdout/stderr, or a buffer in tests. */
export type Sink = { write(text: string): unknown };

export type HumanOptions = {
  readonly stdout: Sink;
  readonly stderr: Sink;
  readonly verbosity: Verbosity;
  /** colours for stderr; results on stdout stay plain so pipes get clean text */
  readonly chalk: ChalkInstance;
  /** colours for the host labels of log lines on stdout: on only when stdout itself is a terminal */
  readonly stdoutChalk?: ChalkInstance;
  /** sextant's version, for bug reports */
  readonly version: string;
  /** milliseconds on a monotonic clock; steps show the time since the reporter was made */
  readonly now?: () => number;
  /** --dry-run: steps show no time, since nothing ran */
  readonly dryRun?: boolean;
  /** the heartbeat (logs) or the live view (terminals); it learns each step and host phase */
  readonly progress?: Progress;
};

/**
 * Narration (steps, info, warnings, errors, and under -v commands and their output) goes to stderr; results and
 * dry-run lines go to stdout. Every line that belongs to a host starts with `[host]`, padded to the longest host
 * the run knows about, continuation lines included. Writes only whole lines, no cursor tricks, so a CI log reads
 * like a transcript.
 */
export class HumanReporter implements Reporter {
  readonly #o: HumanOptions;
  readonly #now: () => number;
  readonly #start: number;
  #width = 0;
  /**
   * Dry-run lines not written yet. A deploy plans thousands, and one write each costs more than planning them, so
   * they go out together at the end of the current microtask run, or before anything else this reporter writes.
   */
  #planned: string[] = [];
  /**
   * Whether a dry-run line was written. From then on stdout holds only the plan, and results, which no host gave,
   * go to stderr; commands that plan nothing (secrets, config) keep stdout for theirs.
   */
  #planning = false;
  readonly #logPrefixes: LogPrefixes;

  constructor(options: HumanOptions) {
    this.#o = options;
    this.#logPrefixes = new LogPrefixes(options.stdoutChalk);
    this.#now = options.now ?? monotonicMs;
    this.#start = this.#now();
  }

  /** Host prefixes are padded to the longest of these (and of any host seen later). */
  padTo(hosts: readonly string[]): void {
    for (const h of hosts) this.#width = Math.max(this.#width, h.length);
  }

  step(title: string): void {
    this.#o.progress?.step(title);
    if (this.#o.verbosity === "quiet") return;
    const c = this.#o.chalk;
    if (this.#o.dryRun) return this.#err(c.magenta(`▸ ${title}`));
    const elapsed = ((this.#now() - this.#start) / 1000).toFixed(1);
    this.#err(`${c.magenta(`▸ ${title}`)} ${c.dim(`+${elapsed}s`)}`);
  }

  command(host: string, line: string): void {
    if (this.#o.verbosity !== "verbose") return;
    this.#err(this.#prefixed(host, `$ ${line}`, this.#o.chalk.dim));
  }

  output(host: string, text: string): void {
    if (this.#o.verbosity !== "verbose") return;
    this.#err(this.#prefixed(host, text));
  }

  info(message: string, host?: string): void {
    if (this.#o.verbosity === "quiet") return;
    this.#err(host === undefined ? message : this.#prefixed(host, message));
  }

  warn(message: string, host?: string): void {
    if (this.#o.verbosity === "quiet") return;
    const text = `${this.#o.chalk.yellow("warning:")} ${message}`;
    this.#err(host === undefined ? text : this.#prefixed(host, text));
  }

  result(text: string): void {
    this.#flushPlanned();
    (this.#planning ? this.#o.stderr : this.#o.stdout).write(text.endsWith("\n") ? text : `${text}\n`);
  }

  logSources(sources: readonly LogSource[]): void {
    this.#logPrefixes.declare(sources);
  }

  /** Whole lines, one write each, so lines of hosts streaming at once never mix. */
  logLine(source: LogSource, line: string): void {
    this.result(this.#logPrefixes.line(source, line));
  }

  /** One line per command: a newline inside a command (the lock's Base64 details) is shown as `\n`. */
  planned(host: string, line: string): void {
    this.#planning = true;
    if (this.#planned.length === 0) queueMicrotask(() => this.#flushPlanned());
    this.#planned.push(`${host}\t${line.replaceAll("\n", "\\n")}\n`);
  }

  #flushPlanned(): void {
    if (this.#planned.length === 0) return;
    const text = this.#planned.join("");
    this.#planned = [];
    this.#o.stdout.write(text);
  }

  error(err: unknown): void {
    const { verbosity, version, chalk } = this.#o;
    this.#err(errorText(err, { verbose: verbosity === "verbose", version, chalk }));
  }

  outcomes(rows: readonly HostOutcome[]): void {
    this.#err(renderOutcomeTable(rows, this.#o.chalk));
  }

  /** Shown only by the heartbeat or the live view; the narration already says what each host does. */
  phase(host: string, phase: HostPhase): void {
    this.#o.progress?.phase(host, phase);
  }

  end(): void {
    this.#o.progress?.stop();
    this.#flushPlanned();
  }

  #prefixed(host: string, text: string, paint: (s: string) => string = (s) => s): string {
    this.#width = Math.max(this.#width, host.length);
    const prefix = `[${host}]`.padEnd(this.#width + 2);
    return text
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => `${prefix}  ${paint(line)}`)
      .join("\n");
  }

  #err(text: string): void {
    this.#flushPlanned();
    this.#o.stderr.write(`${text}\n`);
  }
}
