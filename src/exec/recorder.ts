import { render, wire, type Shell } from "../commands/shell.ts";
import type { Secret } from "../config/secret.ts";
import { RemoteCommandError } from "../errors.ts";
import type { Reporter } from "../output/reporter.ts";
import { LOCAL, uploadLine, type Executor, type RemoteForward, type RunOptions, type RunResult, type ScriptStep, type Upload } from "./executor.ts";

export type CallKind = "run" | "capture" | "attempt" | "script" | "upload" | "interactive" | "follow";

/** One thing an executor was asked to do, as a reviewer would read it: secrets are [REDACTED]. */
export type Call = {
  readonly host: string;
  readonly kind: CallKind;
  /** `wire(shell)` for commands; `upload <mode> <path>` for uploads */
  readonly line: string;
  /** whether stdin was fed (its content is never recorded) */
  readonly stdin: boolean;
  /**
   * Which of the host's round trips the call belongs to, counting from 1: each run, capture, attempt, upload and
   * script is one (a script's steps share theirs), as the SSH executor sends it to a host's shell session.
   */
  readonly trip: number;
  readonly upload?: { readonly path: string; readonly mode: number; readonly body: string | Secret };
};

export type Matcher = string | RegExp | ((line: string) => boolean);

/** A scripted answer for commands whose recorded line matches (a string matches as a substring). */
export type Answer = {
  readonly match: Matcher;
  readonly host?: string;
  readonly result: Partial<RunResult>;
  /** how many times it applies; forever by default */
  readonly times?: number;
};

const SUCCESS: RunResult = { code: 0, stdout: "", stderr: "" };

/**
 * An Executor that runs nothing: it records every call in order and answers from a script. It is what `--dry-run`
 * uses (each command is reported as a planned `HOST<TAB>COMMAND` line) and what flow tests assert against.
 * Without a matching answer a command succeeds with empty output: a dry run assumes hosts hold no prior state
 * (nothing running, no lock held).
 */
export class Recorder implements Executor {
  readonly #calls: Call[] = [];
  readonly #trips = new Map<string, number>();
  readonly #answers: { answer: Answer; left: number }[] = [];
  readonly #reporter: Reporter | undefined;
  readonly #announce: boolean;

  /**
   * `announce` (what --dry-run sets): say on the reporter, first and on close, that nothing is sent, what is
   * assumed instead of asked, and how much was planned. The plan lines themselves are stdout; this is stderr.
   */
  constructor(opts: { reporter?: Reporter; answers?: readonly Answer[]; announce?: boolean } = {}) {
    this.#reporter = opts.reporter;
    this.#announce = opts.announce ?? false;
    for (const a of opts.answers ?? []) this.answer(a);
    if (this.#announce) {
      this.#reporter?.info("Dry run: nothing will be sent to any host; every command is assumed to succeed with no output " +
        "(no containers running, the deploy lock free, new containers healthy)");
    }
  }

  /** Adds a scripted answer; earlier answers win when several match. */
  answer(answer: Answer): this {
    this.#answers.push({ answer, left: answer.times ?? Infinity });
    return this;
  }

  calls(host?: string): readonly Call[] {
    return host === undefined ? [...this.#calls] : this.#calls.filter((c) => c.host === host);
  }

  /** The recorded lines, in order, for one host or all of them. */
  commands(host?: string): string[] {
    return this.calls(host).map((c) => c.line);
  }

  /** The hosts that received at least one call, in first-use order. */
  hosts(): string[] {
    return [...new Set(this.#calls.map((c) => c.host))];
  }

  async run(host: string, cmd: Shell, opts: RunOptions = {}): Promise<RunResult> {
    const result = this.#record(host, "run", cmd, opts);
    if (result.code !== 0) throw new RemoteCommandError(host, render(cmd), result);
    return result;
  }

  async capture(host: string, cmd: Shell, opts: RunOptions = {}): Promise<string> {
    const result = this.#record(host, "capture", cmd, opts);
    if (result.code !== 0) throw new RemoteCommandError(host, render(cmd), result);
    return result.stdout.trim();
  }

  async attempt(host: string, cmd: Shell, opts: RunOptions = {}): Promise<RunResult> {
    return this.#record(host, "attempt", cmd, opts);
  }

  async script(host: string, steps: readonly ScriptStep[], opts: RunOptions = {}): Promise<RunResult[]> {
    const results: RunResult[] = [];
    const trip = this.#nextTrip(host);
    for (const step of steps) {
      if (step.upload !== undefined) {
        this.#recordUpload(host, step.upload, trip);
        results.push(SUCCESS);
        continue;
      }
      const result = this.#record(host, "script", step.cmd, { ...opts, stdin: step.stdin }, trip);
      results.push(result);
      if (result.code !== 0 && !step.ignoreFailure) throw new RemoteCommandError(host, render(step.cmd), result);
    }
    return results;
  }

  async upload(host: string, file: Upload): Promise<void> {
    this.#recordUpload(host, file, this.#nextTrip(host));
  }

  #recordUpload(host: string, file: Upload, trip: number): void {
    const line = uploadLine(file);
    this.#calls.push({ host, kind: "upload", line, stdin: false, trip, upload: { ...file } });
    this.#reporter?.planned(host, line);
  }

  /** An interactive session is planned like any command and answered with its scripted (or zero) exit code. */
  async interactive(host: string, cmd: Shell, opts: RunOptions = {}): Promise<number> {
    return this.#record(host, "interactive", cmd, opts).code;
  }

  /** A followed command is planned like any other; its scripted output is handed over line by line. */
  async follow(host: string, cmd: Shell, onLine: (line: string) => void, opts: RunOptions = {}): Promise<number> {
    const result = this.#record(host, "follow", cmd, opts);
    if (result.stdout) for (const line of result.stdout.replace(/\n$/, "").split("\n")) onLine(line);
    return result.code;
  }

  /** A dry run forwards nothing; flows narrate the forward themselves. */
  async forwardRemotePort(): Promise<RemoteForward> {
    return { close: async () => {} };
  }

  /** Nothing connects in a dry run. */
  stats(): Map<string, { connects: number; execs: number }> {
    return new Map();
  }

  async close(): Promise<void> {
    if (this.#announce) this.#reporter?.info(`Dry run: ${this.#planSize()}; nothing was sent`);
  }

  /** `12 commands planned for 3 hosts and this machine` */
  #planSize(): string {
    const count = this.#calls.length;
    if (count === 0) return "no commands planned";
    const remote = this.hosts().filter((h) => h !== LOCAL).length;
    const targets = [remote > 0 ? plural(remote, "host") : undefined, this.hosts().includes(LOCAL) ? "this machine" : undefined];
    return `${plural(count, "command")} planned for ${targets.filter(Boolean).join(" and ")}`;
  }

  #nextTrip(host: string): number {
    const trip = (this.#trips.get(host) ?? 0) + 1;
    this.#trips.set(host, trip);
    return trip;
  }

  #record(host: string, kind: CallKind, cmd: Shell, opts: RunOptions, trip = this.#nextTrip(host)): RunResult {
    const line = wire(cmd);
    this.#calls.push({ host, kind, line, stdin: opts.stdin !== undefined, trip });
    this.#reporter?.planned(host, line);
    const found = this.#answers.find((a) => a.left > 0 && (a.answer.host ?? host) === host && matches(a.answer.match, line));
    if (!found) return SUCCESS;
    found.left--;
    return { ...SUCCESS, ...found.answer.result };
  }
}

function matches(matcher: Matcher, line: string): boolean {
  if (typeof matcher === "string") return line.includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(line);
  return matcher(line);
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;
