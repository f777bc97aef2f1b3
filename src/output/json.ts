import { ConfigError, RemoteCommandError, SextantError } from "../errors.ts";
import { errorText } from "./error-text.ts";
import type { Event } from "./events.ts";
import type { HostPhase } from "./host-phases.ts";
import type { HostOutcome } from "./outcome.ts";
import type { LogSource, Reporter } from "./reporter.ts";
import type { Sink } from "./human.ts";

/** An event before the reporter stamps it: every field but `v` and `ts`. */
type Draft = Event extends infer E ? (E extends Event ? Omit<E, "v" | "ts"> : never) : never;

/**
 * Builds events and hands each to `emit`; shared by the NDJSON reporter and the in-memory one tests use.
 * Everything is an event, warnings and errors included, so a consumer reading stdout misses nothing.
 */
export class EventReporter implements Reporter {
  readonly #emit: (e: Event) => void;
  readonly #clock: () => Date;
  readonly #started: number;
  /** every outcome row of the run, repeated in `run.end` */
  readonly #outcomes: HostOutcome[] = [];
  /** each host's last phase: flows may say a host boots again for its next role, which is no change */
  readonly #phases = new Map<string, HostPhase>();
  #ended = false;

  constructor(emit: (e: Event) => void, clock: () => Date = () => new Date()) {
    this.#emit = emit;
    this.#clock = clock;
    this.#started = clock().getTime();
  }

  step(title: string): void {
    this.#send({ type: "step.start", title });
  }
  command(host: string, line: string): void {
    this.#send({ type: "command", host, line });
  }
  output(host: string, text: string): void {
    this.#send({ type: "output", host, text });
  }
  info(message: string, host?: string): void {
    this.#send(host === undefined ? { type: "info", message } : { type: "info", message, host });
  }
  warn(message: string, host?: string): void {
    this.#send(host === undefined ? { type: "warn", message } : { type: "warn", message, host });
  }
  result(text: string, data?: unknown): void {
    this.#send(data === undefined ? { type: "result", text } : { type: "result", text, data });
  }
  planned(host: string, line: string): void {
    this.#send({ type: "planned", host, line });
  }
  logLine(source: LogSource, line: string): void {
    this.#send(source.name === undefined ? { type: "log", host: source.host, line } : { type: "log", host: source.host, name: source.name, line });
  }
  error(err: unknown): void {
    this.#send(errorEvent(err));
  }
  outcomes(rows: readonly HostOutcome[]): void {
    this.#outcomes.push(...rows);
    for (const r of rows) this.#send({ type: "deploy.host", ...outcomeFields(r) });
  }
  phase(host: string, phase: HostPhase): void {
    if (this.#phases.get(host) === phase) return;
    this.#phases.set(host, phase);
    this.#send({ type: "host.phase", host, phase });
  }
  /** The last event of every run, once, whatever it ended with. */
  end(exitCode: number): void {
    if (this.#ended) return;
    this.#ended = true;
    const seconds = (this.#clock().getTime() - this.#started) / 1000;
    this.#send({ type: "run.end", exitCode, seconds, hosts: this.#outcomes.map(outcomeFields) });
  }

  #send(draft: Draft): void {
    this.#emit({ v: 1, ts: this.#clock().toISOString(), ...draft } as Event);
  }
}

const outcomeFields = (r: HostOutcome) => ({
  host: r.host,
  role: r.role,
  oldVersion: r.oldVersion ?? null,
  newVersion: r.newVersion,
  result: r.result,
  seconds: r.seconds,
  ...(r.error === undefined ? {} : { error: r.error }),
});

function errorEvent(err: unknown): Draft {
  if (!(err instanceof SextantError)) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { type: "error", kind: "bug", message, exitCode: 1 };
  }
  return {
    type: "error",
    kind: err.name,
    message: err.message,
    exitCode: err.exitCode,
    ...(err.hint === undefined ? {} : { hint: err.hint }),
    ...(err instanceof RemoteCommandError ? { host: err.host } : {}),
    ...(err instanceof ConfigError ? { issues: err.issues.map((i) => ({ ...i })) } : {}),
  };
}

/**
 * `--json`: one event per line on stdout, nothing else there. Errors are also written as text to stderr, so a
 * person watching a scripted run still sees why it stopped.
 */
export class JsonReporter extends EventReporter {
  readonly #stderr: Sink | undefined;
  readonly #version: string;
  readonly #dryRun: boolean;

  constructor(stdout: Sink, opts: { stderr?: Sink; version?: string; clock?: () => Date; dryRun?: boolean } = {}) {
    super((e) => stdout.write(`${JSON.stringify(e)}\n`), opts.clock);
    this.#stderr = opts.stderr;
    this.#version = opts.version ?? "";
    this.#dryRun = opts.dryRun ?? false;
  }
  /** A dry run observes no host, so it has no phases to tell; its flows still walk through them. */
  override phase(host: string, phase: HostPhase): void {
    if (!this.#dryRun) super.phase(host, phase);
  }
  override error(err: unknown): void {
    super.error(err);
    this.#stderr?.write(`${errorText(err, { verbose: false, version: this.#version })}\n`);
  }
  /** Prefix padding is a human concern; JSON consumers get the bare host. */
  padTo(): void {}
}
