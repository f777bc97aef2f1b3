import { appendFileSync } from "node:fs";
import type { CliReporter, LogSource } from "./reporter.ts";
import { errorText } from "./error-text.ts";
import { errorAnnotations, escapeData, workflowCommand } from "./github-commands.ts";
import { jobSummary } from "./github-summary.ts";
import type { HostPhase } from "./host-phases.ts";
import type { HumanReporter, Sink, Verbosity } from "./human.ts";
import type { HostOutcome } from "./outcome.ts";

export type GitHubOptions = {
  /** where the log goes (stderr, through the heartbeat) */
  readonly out: Sink;
  /** makes the human reporter whose text this one groups, writing to the given sink */
  readonly human: (stderr: Sink) => HumanReporter;
  readonly verbosity: Verbosity;
  readonly version: string;
  /** $GITHUB_STEP_SUMMARY: the job summary file this run appends its section to */
  readonly summaryFile: string | undefined;
  /** the command word of the run (`deploy`), for the summary's heading */
  readonly command?: string | undefined;
  /** a config file's path as the repository names it, so annotations land on its lines */
  readonly repoPath?: (file: string) => string;
};

/**
 * GitHub Actions: the human reporter's text, folded into one `::group::` per step. Lines that belong to a host are
 * held back while their step runs and then printed as one group per host, so parallel hosts do not interleave.
 * Errors become `::error` annotations (config issues at their file and line, failed hosts by name), warnings
 * `::warning`; the job summary gets the outcome table and the exit code.
 */
export class GitHubReporter implements CliReporter {
  readonly #o: GitHubOptions;
  readonly #inner: HumanReporter;
  /** the step whose group is open */
  #group: string | undefined;
  /** the lines each host printed in the open step, in the order they came */
  readonly #held = new Map<string, string[]>();
  /** while forwarding a host's line to the human reporter: the host, so the text is held for its group */
  #holdFor: string | undefined;
  readonly #outcomes: HostOutcome[] = [];
  #failure: string | undefined;
  #ended = false;

  constructor(options: GitHubOptions) {
    this.#o = options;
    this.#inner = options.human({ write: (text: string) => this.#write(text) });
  }

  padTo(hosts: readonly string[]): void {
    this.#inner.padTo(hosts);
  }

  step(title: string): void {
    this.#closeGroup();
    if (this.#o.verbosity !== "quiet") {
      this.#o.out.write(`::group::${escapeData(title)}\n`);
      this.#group = title;
    }
    this.#inner.step(title);
  }

  command(host: string, line: string): void {
    this.#asHost(host, () => this.#inner.command(host, line));
  }

  output(host: string, text: string): void {
    this.#asHost(host, () => this.#inner.output(host, text));
  }

  info(message: string, host?: string): void {
    if (host === undefined) this.#inner.info(message);
    else this.#asHost(host, () => this.#inner.info(message, host));
  }

  warn(message: string, host?: string): void {
    if (this.#o.verbosity !== "quiet") this.#o.out.write(workflowCommand("warning", host === undefined ? message : `[${host}] ${message}`));
    if (host === undefined) this.#inner.warn(message);
    else this.#asHost(host, () => this.#inner.warn(message, host));
  }

  result(text: string): void {
    this.#inner.result(text);
  }

  planned(host: string, line: string): void {
    this.#inner.planned(host, line);
  }

  logSources(sources: readonly LogSource[]): void {
    this.#inner.logSources(sources);
  }

  /** Straight to stdout, outside any group: log lines are the command's result. */
  logLine(source: LogSource, line: string): void {
    this.#inner.logLine(source, line);
  }

  phase(host: string, phase: HostPhase): void {
    this.#inner.phase(host, phase);
  }

  /** Outside any group, so the table shows without unfolding anything. */
  outcomes(rows: readonly HostOutcome[]): void {
    this.#closeGroup();
    this.#outcomes.push(...rows);
    this.#inner.outcomes(rows);
  }

  error(err: unknown): void {
    this.#closeGroup();
    for (const line of errorAnnotations(err, this.#o.repoPath)) this.#o.out.write(line);
    this.#inner.error(err);
    this.#failure = errorText(err, { verbose: false, version: this.#o.version });
  }

  end(exitCode: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#closeGroup();
    this.#inner.end();
    if (this.#o.summaryFile && (this.#outcomes.length > 0 || exitCode !== 0)) {
      const summary = jobSummary({ command: this.#o.command, exitCode, outcomes: this.#outcomes, failure: this.#failure });
      try {
        appendFileSync(this.#o.summaryFile, summary);
      } catch (err) {
        this.#o.out.write(workflowCommand("warning", `could not write the job summary to ${this.#o.summaryFile}: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
  }

  #asHost(host: string, forward: () => void): void {
    this.#holdFor = host;
    try {
      forward();
    } finally {
      this.#holdFor = undefined;
    }
  }

  #write(text: string): void {
    const host = this.#holdFor;
    if (host === undefined || this.#group === undefined) {
      this.#o.out.write(text);
      return;
    }
    const held = this.#held.get(host) ?? [];
    held.push(text);
    this.#held.set(host, held);
  }

  /** Ends the step's group, then prints each host's lines of that step as a group of its own. */
  #closeGroup(): void {
    const title = this.#group;
    if (title === undefined) return;
    this.#group = undefined;
    this.#o.out.write("::endgroup::\n");
    for (const [host, lines] of this.#held) this.#o.out.write(`::group::${escapeData(`${title} [${host}]`)}\n${lines.join("")}::endgroup::\n`);
    this.#held.clear();
  }
}
