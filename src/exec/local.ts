import { execa } from "execa";
import { chmod, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { render, type Shell } from "../commands/shell.ts";
import type { Secret } from "../config/secret.ts";
import { RemoteCommandError } from "../errors.ts";
import type { Reporter } from "../output/reporter.ts";
import { LOCAL, type Executor, type RunOptions, type RunResult, type ScriptStep, type Upload } from "./executor.ts";
import { lineSplitter } from "./lines.ts";

export type CaptureResult = { readonly stdout: string; readonly stderr: string; readonly code: number };

/**
 * Runs one line of shell text with `/bin/sh -c`, the way Ruby's backticks and `$(...)` do: used by ERB backticks
 * in deploy.yml, `$(...)` in .kamal/secrets, secret adapters and hooks. Never throws for a non-zero exit.
 * `env` replaces the environment entirely (undefined values are dropped), so callers decide what leaks through.
 */
export async function shellCapture(
  command: string,
  opts: {
    cwd: string;
    env: Readonly<Record<string, string | undefined>>;
    stdin?: string;
    signal?: AbortSignal;
    /** a sign-in that may prompt (`op signin`, `bw unlock`): terminal stdin and stderr, stdout still captured */
    interactive?: boolean;
  },
): Promise<CaptureResult> {
  const { stdout, stderr, code } = await spawnShell(command, opts);
  return { stdout, stderr, code };
}

type SpawnOptions = {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onLine?: (line: string) => void;
  readonly interactive?: boolean;
};

/**
 * `/bin/sh -c line` in its own process group: sh forks its commands, and killing only sh would leave them holding
 * the output pipes open, so a timeout or abort signals the whole group (TERM, then KILL after a grace period).
 */
async function spawnShell(line: string, opts: SpawnOptions): Promise<CaptureResult & { timedOut: boolean }> {
  const child = execa("/bin/sh", ["-c", line], {
    cwd: opts.cwd,
    env: definedOnly(opts.env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    ...(opts.interactive ? { stdin: "inherit", stderr: "inherit" } : { input: opts.stdin ?? "" }),
    // A prompt needs the controlling terminal, which a new session (detached) would not have.
    detached: !opts.interactive,
  });
  let timedOut = false;
  const stop = () => killGroup(child.pid);
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stop()), opts.timeoutMs);
  if (opts.signal?.aborted) stop();
  opts.signal?.addEventListener("abort", stop, { once: true });
  if (opts.onLine) {
    for (const stream of [child.stdout, child.stderr]) {
      const lines = lineSplitter(opts.onLine);
      stream.on("data", (chunk: Buffer) => lines.push(chunk));
      stream.on("end", () => lines.end());
    }
  }
  try {
    const done = await child;
    if (done.exitCode === undefined && done.signal === undefined)
      return { stdout: "", stderr: done.shortMessage ?? "could not start /bin/sh", code: 127, timedOut };
    return { stdout: String(done.stdout ?? ""), stderr: String(done.stderr ?? ""), code: exitCode(done), timedOut };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", stop);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // the group is already gone
    }
  };
  signal("SIGTERM");
  setTimeout(() => signal("SIGKILL"), KILL_GRACE_MS).unref();
}

const KILL_GRACE_MS = 5_000;

/**
 * Runs host `local` commands on this machine (docker build/push, hooks) through `/bin/sh -c`, like SSHKit's local
 * backend. Output lines go to the reporter as they arrive when `stream` is set, or after the fact when `echo` is on
 * (-v shows all output), and otherwise only to the run's log copy (Reporter.outputForLogs).
 */
export class LocalExecutor implements Executor {
  readonly #reporter: Reporter;
  readonly #cwd: string;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #echo: boolean;

  constructor(opts: { reporter: Reporter; cwd: string; env: Readonly<Record<string, string | undefined>>; echo?: boolean }) {
    this.#reporter = opts.reporter;
    this.#cwd = opts.cwd;
    this.#env = opts.env;
    this.#echo = opts.echo ?? false;
  }

  async run(host: string, cmd: Shell, opts: RunOptions = {}): Promise<RunResult> {
    const result = await this.attempt(host, cmd, opts);
    if (result.code !== 0) throw new RemoteCommandError(LOCAL, render(cmd), result);
    return result;
  }

  async capture(host: string, cmd: Shell, opts: RunOptions = {}): Promise<string> {
    return (await this.run(host, cmd, opts)).stdout.trim();
  }

  async attempt(host: string, cmd: Shell, opts: RunOptions = {}): Promise<RunResult> {
    onlyLocal(host);
    this.#reporter.command(LOCAL, render(cmd));
    const result = await spawnShell(render(cmd, true), {
      cwd: opts.cwd === undefined ? this.#cwd : resolve(this.#cwd, opts.cwd),
      env: { ...this.#env, ...revealAll(opts.env ?? {}) },
      stdin: opts.stdin === undefined ? undefined : reveal(opts.stdin),
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      onLine: opts.stream ? (line) => this.#reporter.output(LOCAL, line) : undefined,
    });
    if (!opts.stream && (result.stdout || result.stderr)) {
      const text = (result.stdout + result.stderr).trimEnd();
      if (this.#echo) this.#reporter.output(LOCAL, text);
      else this.#reporter.outputForLogs?.(LOCAL, text);
    }
    const { stdout, stderr, code } = result;
    return { stdout, code, stderr: result.timedOut ? `${stderr}timed out after ${opts.timeoutMs} ms\n` : stderr };
  }

  async script(host: string, steps: readonly ScriptStep[], opts: RunOptions = {}): Promise<RunResult[]> {
    const results: RunResult[] = [];
    for (const step of steps) {
      if (step.upload !== undefined) {
        await this.upload(host, step.upload);
        results.push({ code: 0, stdout: "", stderr: "" });
        continue;
      }
      const result = await this.attempt(host, step.cmd, { ...opts, stdin: step.stdin });
      results.push(result);
      if (result.code !== 0 && !step.ignoreFailure) throw new RemoteCommandError(LOCAL, render(step.cmd), result);
    }
    return results;
  }

  async upload(host: string, file: Upload): Promise<void> {
    onlyLocal(host);
    const path = resolve(this.#cwd, file.path);
    // open with the final mode so the content is never readable by others, then chmod for files that existed
    await writeFile(path, reveal(file.body), { mode: file.mode });
    await chmod(path, file.mode);
  }

  async close(): Promise<void> {}
}

function onlyLocal(host: string): void {
  if (host !== LOCAL) throw new Error(`LocalExecutor asked to run on ${host}`);
}

const reveal = (v: string | Secret): string => (typeof v === "string" ? v : v.reveal());

function revealAll(env: Readonly<Record<string, string | Secret>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, reveal(v)]));
}

/** A signal death maps to 128 + signal number, as a shell reports it. */
function exitCode(result: { exitCode?: number; signal?: string | undefined }): number {
  if (result.exitCode !== undefined) return result.exitCode;
  return 128 + (SIGNAL_NUMBERS[result.signal ?? ""] ?? 1);
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
