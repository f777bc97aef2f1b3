import { randomBytes } from "node:crypto";
import type { Client } from "ssh2";
import { render, wire, type Shell } from "../commands/shell.ts";
import { InterruptedError, RemoteCommandError, SextantError } from "../errors.ts";
import { uploadLine, type Executor, type RemoteForward, type RunOptions, type RunResult, type ScriptStep, type Upload } from "./executor.ts";
import { interactive, type Terminal } from "./interactive.ts";
import { followChannel } from "./follow-channel.ts";
import { lineSplitter } from "./lines.ts";
import { markerFilter, SCRIPT_SHELL, scriptText, splitScriptOutput, type ScriptLine } from "./remote-script.ts";
import { execChannel, isAgentForwardingRefused, type ChannelResult } from "./ssh-channel.ts";
import { forwardRemotePort } from "./ssh-forward.ts";
import { SshPool, type Connection, type HostStats, type PoolOptions } from "./ssh-pool.ts";
import { RemoteShell } from "./ssh-shell.ts";

export type { HostStats } from "./ssh-pool.ts";

export type SshExecutorOptions = PoolOptions & {
  /** pass non-streamed output to the reporter too (-v); without it, only to the log copy (Reporter.outputForLogs) */
  readonly echo?: boolean;
};

/**
 * Runs commands on hosts over SSH with one connection per host for the whole run, opened on first use. Hosts can
 * be used in parallel; new handshakes are capped by sshkit.max_concurrent_starts and sessions per connection
 * stay below sshd's MaxSessions. Secrets reach hosts only through stdin or uploads, unless a Shell itself carries
 * one (then the caller chose argv); everything reported is redacted.
 */
export class SshExecutor implements Executor {
  readonly #o: SshExecutorOptions;
  readonly #pool: SshPool;

  constructor(options: SshExecutorOptions) {
    this.#o = options;
    this.#pool = new SshPool(options);
  }

  async run(host: string, cmd: Shell, opts: RunOptions = {}): Promise<RunResult> {
    const result = await this.#exec(host, cmd, opts);
    if (result.code !== 0)
      throw new RemoteCommandError(host, render(cmd), { ...result, code: result.finished ? result.code : null });
    return result;
  }

  async capture(host: string, cmd: Shell, opts: RunOptions = {}): Promise<string> {
    return (await this.run(host, cmd, opts)).stdout.trim();
  }

  async attempt(host: string, cmd: Shell, opts: RunOptions = {}): Promise<RunResult> {
    const { code, stdout, stderr } = await this.#exec(host, cmd, opts);
    return { code, stdout, stderr };
  }

  async script(host: string, steps: readonly ScriptStep[], opts: RunOptions = {}): Promise<RunResult[]> {
    if (steps.length === 0) return [];
    // the script itself travels on stdin: a step gets stdin of its own (ScriptStep.stdin), the others read /dev/null
    if (opts.stdin !== undefined) throw new Error("script() feeds stdin per step (ScriptStep.stdin), not to the whole script");
    const bodies = steps.map(stdinOf);
    const alone = bodies.findIndex((body) => body !== undefined && !isHereDocument(body));
    if (alone >= 0) return this.#scriptAround(host, steps, alone, opts);
    for (const step of steps) this.#o.reporter.command(host, stepLine(step));
    const lines = steps.map((step, i) => {
      const command = step.upload === undefined ? wire(step.cmd, true) : uploadCommand(step.upload);
      const body = bodies[i];
      return { line: body === undefined ? command : hereDocument(command, body), ignoreFailure: step.ignoreFailure ?? false };
    });
    const { raw, completed, rest } = await this.#script(host, lines, opts);
    const results: RunResult[] = completed.map((c) => ({ ...c }));
    this.#echo(host, opts, results.map((r) => r.stdout + r.stderr).join(""));
    steps.forEach((step, i) => {
      const result = results[i];
      if (result && (result.code === 0 || step.ignoreFailure)) return;
      if (result) throw new RemoteCommandError(host, stepLine(step), result);
      // the session ended while this command ran: timed out, interrupted or the connection dropped
      throw new RemoteCommandError(host, stepLine(step), { code: null, stdout: rest.stdout, stderr: unfinished(raw, opts, rest.stderr) });
    });
    return results;
  }

  /** A step whose stdin a here-document cannot carry exactly runs in a session of its own, between the scripts around it. */
  async #scriptAround(host: string, steps: readonly ScriptStep[], at: number, opts: RunOptions): Promise<RunResult[]> {
    const before = await this.script(host, steps.slice(0, at), opts);
    const step = steps[at] as ScriptStep;
    let result: RunResult = { code: 0, stdout: "", stderr: "" };
    if (step.upload !== undefined) await this.upload(host, step.upload, opts);
    else {
      const own = { ...opts, stdin: step.stdin };
      const { code, stdout, stderr } = step.ignoreFailure ? await this.attempt(host, step.cmd, own) : await this.run(host, step.cmd, own);
      result = { code, stdout, stderr };
    }
    return [...before, result, ...(await this.script(host, steps.slice(at + 1), opts))];
  }

  async upload(host: string, file: Upload, opts: RunOptions = {}): Promise<void> {
    const line = uploadLine(file);
    this.#o.reporter.command(host, line);
    const command = uploadCommand(file);
    const body = typeof file.body === "string" ? file.body : file.body.reveal();
    const raw = isHereDocument(body)
      ? await this.#inShell(host, hereDocument(command, body), { ...opts, stream: false })
      : await this.#channel(host, command, { ...opts, stdin: body, stream: false });
    if (raw.code === 0) return;
    const stderr = raw.code === null ? unfinished(raw, opts, raw.stderr) : raw.stderr;
    throw new RemoteCommandError(host, line, { code: raw.code, stdout: raw.stdout, stderr });
  }

  connect(hosts: readonly string[], signal?: AbortSignal): void {
    for (const host of hosts)
      void this.#pool.connection(host, signal).then((connection) => this.#shell(host, connection), () => undefined);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /** Connections opened and exec sessions started per host (jump hosts included), for benchmarks. */
  stats(): Map<string, HostStats> {
    return this.#pool.stats();
  }

  /** Runs a command on a PTY wired to `terminal` (this process's by default); resolves to its exit code. */
  async interactive(host: string, cmd: Shell, opts: RunOptions = {}, terminal?: Terminal): Promise<number> {
    this.#o.reporter.command(host, render(cmd));
    const connection = await this.#pool.connection(host, opts.signal);
    this.#pool.count(host, "execs");
    return connection.channels.run(() => interactive(connection.client, cmd, { terminal, signal: opts.signal }));
  }

  /** Runs a command on a PTY of its own, each output line to `onLine`, until it ends or `opts.signal` aborts. */
  async follow(host: string, cmd: Shell, onLine: (line: string) => void, opts: RunOptions = {}): Promise<number> {
    this.#o.reporter.command(host, render(cmd));
    const connection = await this.#pool.connection(host, opts.signal);
    this.#pool.count(host, "execs");
    return connection.channels.run(() => followChannel(connection.client, wire(cmd, true), onLine, opts.signal)).catch((cause: Error) => {
      throw new SextantError(`[${host}] could not open an SSH session: ${cause.message}`, { hint: SESSION_HINT, cause });
    });
  }

  async forwardRemotePort(host: string, port: number, opts: RunOptions = {}): Promise<RemoteForward> {
    const connection = await this.#pool.connection(host, opts.signal);
    return forwardRemotePort(connection.client, port, { host: "127.0.0.1", port }).catch((cause: Error) => {
      throw new SextantError(`[${host}] could not forward port ${port} to this machine: ${cause.message}`, {
        hint: "the host's sshd must allow TCP forwarding (AllowTcpForwarding) and nothing there may listen on that port",
        cause,
      });
    });
  }

  /** The open connection to a host, opened if needed (connection checks and tests). */
  async client(host: string, signal?: AbortSignal): Promise<Client> {
    return (await this.#pool.connection(host, signal)).client;
  }

  /** `finished` is false when the command gave no exit status (timed out, connection lost): code is then 255, as ssh reports it. */
  async #exec(host: string, cmd: Shell, opts: RunOptions): Promise<RunResult & { finished: boolean }> {
    this.#o.reporter.command(host, render(cmd));
    const stdin = opts.stdin === undefined ? undefined : typeof opts.stdin === "string" ? opts.stdin : opts.stdin.reveal();
    // stdin that a here-document carries exactly (the registry password, with the newline docker login drops) rides
    // in the shell too; other stdin needs a session of its own
    const raw = stdin === undefined ? await this.#inShell(host, wire(cmd, true), opts)
      : isHereDocument(stdin) ? await this.#inShell(host, hereDocument(wire(cmd, true), stdin), opts)
      : await this.#channel(host, wire(cmd, true), { ...opts, stdin });
    this.#echo(host, opts, raw.stdout + raw.stderr);
    if (raw.code !== null) return { code: raw.code, stdout: raw.stdout, stderr: raw.stderr, finished: true };
    return { code: 255, stdout: raw.stdout, stderr: unfinished(raw, opts, raw.stderr), finished: false };
  }

  /** One command (without stdin of its own) as a one-step script: in the host's shell when it is free. */
  async #inShell(host: string, line: string, opts: RunOptions): Promise<ChannelResult> {
    const { raw, completed, rest } = await this.#script(host, [{ line, ignoreFailure: true }], opts);
    const result = completed[0];
    return result ? { ...raw, ...result } : { ...raw, code: null, ...rest };
  }

  /**
   * Runs script lines in the connection's shell session (one round trip) when it is open and free, otherwise in
   * an exec session of their own (while another script runs there). An abort or timeout closes the shell.
   */
  async #script(host: string, lines: readonly ScriptLine[], opts: RunOptions): Promise<{ raw: ChannelResult } & ReturnType<typeof splitScriptOutput>> {
    const nonce = `SEXTANT_${randomBytes(8).toString("hex")}`;
    const text = scriptText(lines, nonce);
    const wrap = (onLine: (l: string) => void) => markerFilter(nonce, onLine);
    const inShell = await this.#streamed(host, opts, wrap, (handlers) =>
      this.#inIdleShell(host, opts.signal, (shell) => shell.run(text, nonce, lines.length, { signal: opts.signal, timeoutMs: opts.timeoutMs, ...handlers })));
    const raw = inShell ?? (await this.#channel(host, SCRIPT_SHELL, { ...opts, stdin: text }, wrap));
    if (raw.aborted) throw new InterruptedError(`[${host}] ${lines.length > 1 ? "script" : "command"} interrupted`);
    return { raw, ...splitScriptOutput(raw.stdout, raw.stderr, nonce) };
  }

  /** `use` of the connection's shell when it is free (taken at once, so no other command gets it); else undefined. */
  async #inIdleShell<T>(host: string, signal: AbortSignal | undefined, use: (shell: RemoteShell) => Promise<T>): Promise<T | undefined> {
    const shell = await this.#shell(host, await this.#pool.connection(host, signal));
    return shell?.idle ? use(shell) : undefined;
  }

  /** The connection's shell, opened on first use and again after an abort or timeout closed it; undefined if the host refused one. */
  async #shell(host: string, connection: Connection): Promise<RemoteShell | undefined> {
    const known = connection.shell;
    if (known !== undefined && (await known)?.closed && connection.shell === known) connection.shell = undefined;
    if (connection.shell === undefined) {
      this.#pool.count(host, "execs");
      connection.shell = RemoteShell.open(connection.client, connection.forwardAgent).catch(() => undefined);
    }
    return connection.shell;
  }

  async #channel(
    host: string,
    command: string,
    opts: Omit<RunOptions, "stdin"> & { stdin?: string },
    wrap: LineWrap = (onLine) => ({ line: onLine, end: () => undefined }),
  ): Promise<ChannelResult> {
    const connection = await this.#pool.connection(host, opts.signal);
    // the first command on a connection opens its shell alongside, for the commands after it
    void this.#shell(host, connection);
    const result = await this.#streamed(host, opts, wrap, (handlers) => connection.channels
      .run(async () => {
        const open = () => {
          this.#pool.count(host, "execs");
          return execChannel(connection.client, command, {
            stdin: opts.stdin,
            agentForward: connection.forwardAgent,
            signal: opts.signal,
            timeoutMs: opts.timeoutMs,
            ...handlers,
          });
        };
        return open().catch((cause: unknown) => {
          if (!connection.forwardAgent || !isAgentForwardingRefused(cause)) throw cause;
          // net-ssh carries on when a host refuses agent forwarding; so do we, without asking again
          connection.forwardAgent = false;
          return open();
        });
      })
      .catch((cause: Error) => {
        throw new SextantError(`[${host}] could not open an SSH session: ${cause.message}`, {
          hint: SESSION_HINT,
          cause,
        });
      }));
    if (result.aborted && command !== SCRIPT_SHELL) throw new InterruptedError(`[${host}] command interrupted`);
    return result;
  }

  /** Runs `work` with stdout and stderr handlers that stream lines to the reporter (when asked to). */
  async #streamed<T>(
    host: string,
    opts: RunOptions,
    wrap: LineWrap,
    work: (handlers: { onStdout?: (chunk: Buffer) => void; onStderr?: (chunk: Buffer) => void }) => Promise<T>,
  ): Promise<T> {
    const [out, err] = [0, 1].map(() => {
      if (!opts.stream) return undefined;
      const filter = wrap((line) => this.#o.reporter.output(host, line));
      const lines = lineSplitter((l) => filter.line(l));
      return { push: (chunk: Buffer) => lines.push(chunk), end: () => (lines.end(), filter.end()) };
    });
    const result = await work({ onStdout: out?.push, onStderr: err?.push });
    out?.end();
    err?.end();
    return result;
  }

  #echo(host: string, opts: RunOptions, text: string): void {
    if (opts.stream || !text.trim()) return;
    if (this.#o.echo) this.#o.reporter.output(host, text.trimEnd());
    else this.#o.reporter.outputForLogs?.(host, text.trimEnd());
  }
}

function unfinished(raw: ChannelResult, opts: RunOptions, stderr: string): string {
  const why = raw.timedOut ? `timed out after ${opts.timeoutMs} ms` : "the connection closed before the command finished";
  return `${stderr}${stderr && !stderr.endsWith("\n") ? "\n" : ""}${why}\n`;
}

const SESSION_HINT = "the connection may have dropped (run the command again), or the host's sshd allows fewer than 10 sessions per connection (MaxSessions)";

type LineWrap = (onLine: (l: string) => void) => { line(l: string): void; end(): void };

/** A body a here-document carries exactly: one ending in a newline (the here-document adds none then), or none. */
const isHereDocument = (body: string) => body === "" || body.endsWith("\n");

/** `command` with `body` on its stdin, inline in a script; the delimiter is random, so no line of the body ends it. */
function hereDocument(command: string, body: string): string {
  const end = `SEXTANT_EOF_${randomBytes(8).toString("hex")}`;
  return `{ ${command}\n} <<'${end}'\n${body}${end}`;
}

/** What reporters and errors call a step: its command, or `upload <mode> <path>`. */
const stepLine = (step: ScriptStep): string => (step.upload === undefined ? render(step.cmd) : uploadLine(step.upload));

/** The body a step feeds its command: its stdin, or the file it uploads. */
function stdinOf(step: ScriptStep): string | undefined {
  const body = step.upload === undefined ? step.stdin : step.upload.body;
  return body === undefined || typeof body === "string" ? body : body.reveal();
}

/**
 * Writes stdin to the file: umask 077 keeps the temporary file private until chmod sets the final mode, and mv makes
 * it appear whole.
 */
function uploadCommand(file: Upload): string {
  const mode = file.mode.toString(8).padStart(4, "0");
  const target = quote(file.path);
  const temp = quote(`${file.path}.sextant-${randomBytes(4).toString("hex")}`);
  return `umask 077 && cat > ${temp} && chmod ${mode} ${temp} && mv -f ${temp} ${target} || { rm -f ${temp}; exit 1; }`;
}

/** POSIX single quotes, for paths in the upload command (the only shell text this file writes itself). */
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
