import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "ssh2";
import { render, wire, type Shell } from "../commands/shell.ts";
import type { Ssh, Sshkit } from "../config/model.ts";
import type { Secret } from "../config/secret.ts";
import { InterruptedError, RemoteCommandError } from "../errors.ts";
import type { Reporter } from "../output/reporter.ts";
import type { Executor, RunOptions, RunResult, ScriptStep, Upload } from "./executor.ts";
import { interactive, type Terminal } from "./interactive.ts";
import { Limit } from "./limit.ts";
import { lineSplitter } from "./lines.ts";
import { markerFilter, SCRIPT_SHELL, scriptText, splitScriptOutput } from "./remote-script.ts";
import { execChannel, type ChannelResult } from "./ssh-channel.ts";
import { defaultConfigFiles, expandTilde, loadConfigFiles, type ConfigBlock } from "./ssh-config.ts";
import { connect, type ConnectDeps } from "./ssh-connect.ts";
import { resolveTarget, type Target } from "./ssh-target.ts";

export type SshExecutorOptions = {
  readonly reporter: Reporter;
  readonly ssh: Ssh;
  readonly sshkit: Sshkit;
  /** the app directory: relative key paths and `.kamal/known_hosts` resolve against it */
  readonly cwd: string;
  /** which of ssh.user / ssh.port deploy.yml sets explicitly; both by default (Kamal always passes them) */
  readonly explicit?: { readonly user: boolean; readonly port: boolean };
  /** `ssh.key_data` secrets; resolved on the first connection */
  readonly keyData?: () => Promise<readonly Secret[]>;
  /** HOME and SSH_AUTH_SOCK come from here */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly connectTimeoutMs?: number;
  /** pass non-streamed output to the reporter too (-v) */
  readonly echo?: boolean;
};

export type HostStats = { connects: number; execs: number };

type Connection = { readonly client: Client; readonly channels: Limit };

// sshd's default MaxSessions is 10; one stays free for whoever else shares the connection (e.g. interactive use)
const CHANNELS_PER_CONNECTION = 9;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * Runs commands on hosts over SSH with one connection per host for the whole run, opened on first use. Hosts can
 * be used in parallel; new handshakes are capped by sshkit.max_concurrent_starts and sessions per connection
 * stay below sshd's MaxSessions. Secrets reach hosts only through stdin or uploads, unless a Shell itself carries
 * one (then the caller chose argv); everything reported is redacted.
 */
export class SshExecutor implements Executor {
  readonly #o: SshExecutorOptions;
  readonly #home: string;
  readonly #connections = new Map<string, Promise<Connection>>();
  readonly #jumps = new Map<string, Promise<Client>>();
  readonly #handshakes: Limit;
  readonly #stats = new Map<string, HostStats>();
  #blocks: Promise<ConfigBlock[]> | undefined;
  #keyData: Promise<readonly Secret[]> | undefined;

  constructor(options: SshExecutorOptions) {
    this.#o = options;
    this.#home = options.env?.HOME ?? homedir();
    this.#handshakes = new Limit(options.sshkit.maxConcurrentStarts);
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
    const nonce = `SEXTANT_${randomBytes(8).toString("hex")}`;
    for (const step of steps) this.#o.reporter.command(host, render(step.cmd));
    const lines = steps.map((s) => ({ line: wire(s.cmd, true), ignoreFailure: s.ignoreFailure ?? false }));
    const raw = await this.#channel(host, SCRIPT_SHELL, { ...opts, stdin: scriptText(lines, nonce) }, (l) => markerFilter(nonce, l));
    const { completed, rest } = splitScriptOutput(raw.stdout, raw.stderr, nonce);
    const results: RunResult[] = completed.map((c) => ({ ...c }));
    this.#echo(host, opts, results.map((r) => r.stdout + r.stderr).join(""));
    steps.forEach((step, i) => {
      const result = results[i];
      if (result && (result.code === 0 || step.ignoreFailure)) return;
      if (result) throw new RemoteCommandError(host, render(step.cmd), result);
      // the session ended while this command ran: timed out, interrupted or the connection dropped
      throw new RemoteCommandError(host, render(step.cmd), { code: null, stdout: rest.stdout, stderr: unfinished(raw, opts, rest.stderr) });
    });
    return results;
  }

  async upload(host: string, file: Upload, opts: RunOptions = {}): Promise<void> {
    const mode = file.mode.toString(8).padStart(4, "0");
    const line = `upload ${mode} ${file.path}`;
    this.#o.reporter.command(host, line);
    const target = quote(file.path);
    const temp = quote(`${file.path}.sextant-${randomBytes(4).toString("hex")}`);
    // umask 077 keeps the temporary file private until chmod sets the final mode; mv makes it appear whole
    const command = `umask 077 && cat > ${temp} && chmod ${mode} ${temp} && mv -f ${temp} ${target} || { rm -f ${temp}; exit 1; }`;
    const body = typeof file.body === "string" ? file.body : file.body.reveal();
    const raw = await this.#channel(host, command, { ...opts, stdin: body, stream: false });
    if (raw.code !== 0) throw new RemoteCommandError(host, line, { code: raw.code, stdout: raw.stdout, stderr: unfinished(raw, opts, raw.stderr) });
  }

  /** Ends every connection, targets first, then the jump hosts they were tunnelled through. */
  async close(): Promise<void> {
    const targets = [...this.#connections.values()].map((p) => p.then((c) => c.client));
    const jumps = [...this.#jumps.values()];
    this.#connections.clear();
    this.#jumps.clear();
    await Promise.all(targets.map(end));
    await Promise.all(jumps.map(end));
  }

  /** Connections opened and exec sessions started per host (jump hosts included), for benchmarks. */
  stats(): Map<string, HostStats> {
    return new Map([...this.#stats].map(([h, s]) => [h, { ...s }]));
  }

  /** Runs a command on a PTY wired to `terminal` (this process's by default); resolves to its exit code. */
  async interactive(host: string, cmd: Shell, opts: RunOptions = {}, terminal?: Terminal): Promise<number> {
    this.#o.reporter.command(host, render(cmd));
    const connection = await this.#connection(host, opts.signal);
    this.#count(host, "execs");
    return connection.channels.run(() => interactive(connection.client, cmd, { terminal, signal: opts.signal }));
  }

  /** The open connection to a host, opened if needed (connection checks and tests). */
  async client(host: string, signal?: AbortSignal): Promise<Client> {
    return (await this.#connection(host, signal)).client;
  }

  /** `finished` is false when the command gave no exit status (timed out, connection lost): code is then 255, as ssh reports it. */
  async #exec(host: string, cmd: Shell, opts: RunOptions): Promise<RunResult & { finished: boolean }> {
    this.#o.reporter.command(host, render(cmd));
    const stdin = opts.stdin === undefined ? undefined : typeof opts.stdin === "string" ? opts.stdin : opts.stdin.reveal();
    const raw = await this.#channel(host, wire(cmd, true), { ...opts, stdin });
    this.#echo(host, opts, raw.stdout + raw.stderr);
    if (raw.code !== null) return { code: raw.code, stdout: raw.stdout, stderr: raw.stderr, finished: true };
    return { code: 255, stdout: raw.stdout, stderr: unfinished(raw, opts, raw.stderr), finished: false };
  }

  async #channel(
    host: string,
    command: string,
    opts: Omit<RunOptions, "stdin"> & { stdin?: string },
    wrap: (onLine: (l: string) => void) => { line(l: string): void; end(): void } = (onLine) => ({ line: onLine, end: () => undefined }),
  ): Promise<ChannelResult> {
    const connection = await this.#connection(host, opts.signal);
    const [out, err] = [0, 1].map(() => {
      if (!opts.stream) return undefined;
      const filter = wrap((line) => this.#o.reporter.output(host, line));
      const lines = lineSplitter((l) => filter.line(l));
      return { push: (chunk: Buffer) => lines.push(chunk), end: () => (lines.end(), filter.end()) };
    });
    const result = await connection.channels.run(() => {
      this.#count(host, "execs");
      return execChannel(connection.client, command, {
        stdin: opts.stdin,
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
        onStdout: out?.push,
        onStderr: err?.push,
      });
    });
    out?.end();
    err?.end();
    if (result.aborted) throw new InterruptedError(`[${host}] ${command.startsWith(SCRIPT_SHELL) ? "script" : "command"} interrupted`);
    return result;
  }

  #echo(host: string, opts: RunOptions, text: string): void {
    if (this.#o.echo && !opts.stream && text.trim()) this.#o.reporter.output(host, text.trimEnd());
  }

  #connection(host: string, signal?: AbortSignal): Promise<Connection> {
    let pending = this.#connections.get(host);
    if (!pending) {
      pending = this.#open(host, signal);
      this.#connections.set(host, pending);
      // a failed attempt is not cached: the next command tries again
      pending.catch(() => this.#connections.get(host) === pending && this.#connections.delete(host));
    }
    return pending;
  }

  async #open(host: string, signal?: AbortSignal): Promise<Connection> {
    const target = resolveTarget(host, {
      ssh: this.#o.ssh,
      explicit: this.#o.explicit ?? { user: true, port: true },
      blocks: await this.#configBlocks(),
      home: this.#home,
      cwd: this.#o.cwd,
    });
    const client = await this.#dial(target, host, signal);
    client.on("close", () => this.#connections.delete(host));
    return { client, channels: new Limit(CHANNELS_PER_CONNECTION) };
  }

  /** Connects to a target; a jump host is connected (or reused) first, outside the handshake limit. */
  async #dial(target: Target, statsName: string, signal?: AbortSignal): Promise<Client> {
    const jump = target.via && "jump" in target.via ? target.via.jump : undefined;
    const jumpClient = jump ? await this.#jump(jump, signal) : undefined;
    const client = await this.#handshakes.run(() => connect(target, this.#deps(signal, jumpClient)));
    this.#count(statsName, "connects");
    return client;
  }

  #jump(jump: Target, signal?: AbortSignal): Promise<Client> {
    const key = `${jump.user}@${jump.address}:${jump.port}`;
    let pending = this.#jumps.get(key);
    if (!pending) {
      pending = this.#dial(jump, jump.host, signal);
      this.#jumps.set(key, pending);
      pending.then((c) => c.on("close", () => this.#jumps.delete(key)), () => this.#jumps.delete(key));
    }
    return pending;
  }

  #deps(signal: AbortSignal | undefined, jumpClient: Client | undefined): ConnectDeps {
    return {
      keyData: () => (this.#keyData ??= this.#o.keyData?.() ?? Promise.resolve([])),
      agentSocket: this.#o.env?.SSH_AUTH_SOCK,
      pinnedKnownHosts: join(this.#o.cwd, ".kamal", "known_hosts"),
      connectTimeoutMs: this.#o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      dnsRetries: this.#o.sshkit.dnsRetries,
      forwardAgent: this.#o.ssh.forwardAgent,
      jump: async () => {
        if (!jumpClient) throw new Error("jump host requested without a jump connection");
        return jumpClient;
      },
      warn: (message) => this.#o.reporter.warn(message),
      debug: this.#o.ssh.logLevel === "debug" ? (message) => this.#o.reporter.info(message) : undefined,
      signal,
    };
  }

  #configBlocks(): Promise<ConfigBlock[]> {
    const setting = this.#o.ssh.config;
    const files =
      setting === true ? defaultConfigFiles(this.#home) : setting === false ? [] : setting.map((f) => resolve(this.#o.cwd, expandTilde(f, this.#home)));
    return (this.#blocks ??= loadConfigFiles(files, this.#home));
  }

  #count(host: string, what: keyof HostStats): void {
    const stats = this.#stats.get(host) ?? { connects: 0, execs: 0 };
    stats[what]++;
    this.#stats.set(host, stats);
  }
}

async function end(pending: Promise<Client>): Promise<void> {
  const client = await pending.catch(() => undefined);
  if (!client) return;
  // an already closed client never emits 'close' again, so don't wait for it forever
  await new Promise<void>((done) => {
    setTimeout(done, 2_000).unref();
    client.once("close", () => done());
    client.end();
  });
}

function unfinished(raw: ChannelResult, opts: RunOptions, stderr: string): string {
  const why = raw.timedOut ? `timed out after ${opts.timeoutMs} ms` : "the connection closed before the command finished";
  return `${stderr}${stderr && !stderr.endsWith("\n") ? "\n" : ""}${why}\n`;
}

/** POSIX single quotes, for paths in the upload command (the only shell text this file writes itself). */
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
