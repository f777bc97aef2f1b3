import type { HostOutcome } from "./outcome.ts";
import type { HostPhase } from "./host-phases.ts";
import type { LogSource, Reporter } from "./reporter.ts";

/** A Reporter that hands every event to two: the terminal's, and a copy that keeps the run's log. */
export class TeeReporter implements Reporter {
  readonly #terminal: Reporter;
  readonly #copy: Reporter;

  constructor(terminal: Reporter, copy: Reporter) {
    this.#terminal = terminal;
    this.#copy = copy;
  }

  step(title: string): void {
    this.#terminal.step(title);
    this.#copy.step(title);
  }
  command(host: string, line: string): void {
    this.#terminal.command(host, line);
    this.#copy.command(host, line);
  }
  output(host: string, text: string): void {
    this.#terminal.output(host, text);
    this.#copy.output(host, text);
  }
  outputForLogs(host: string, text: string): void {
    this.#terminal.outputForLogs?.(host, text);
    this.#copy.outputForLogs?.(host, text);
  }
  info(message: string, host?: string): void {
    this.#terminal.info(message, host);
    this.#copy.info(message, host);
  }
  warn(message: string, host?: string): void {
    this.#terminal.warn(message, host);
    this.#copy.warn(message, host);
  }
  result(text: string, data?: unknown): void {
    this.#terminal.result(text, data);
    this.#copy.result(text, data);
  }
  logSources(sources: readonly LogSource[]): void {
    this.#terminal.logSources?.(sources);
    this.#copy.logSources?.(sources);
  }
  logLine(source: LogSource, line: string): void {
    this.#terminal.logLine(source, line);
    this.#copy.logLine(source, line);
  }
  planned(host: string, line: string): void {
    this.#terminal.planned(host, line);
    this.#copy.planned(host, line);
  }
  error(err: unknown): void {
    this.#terminal.error(err);
    this.#copy.error(err);
  }
  outcomes(rows: readonly HostOutcome[]): void {
    this.#terminal.outcomes?.(rows);
    this.#copy.outcomes?.(rows);
  }
  phase(host: string, phase: HostPhase): void {
    this.#terminal.phase?.(host, phase);
    this.#copy.phase?.(host, phase);
  }
}
