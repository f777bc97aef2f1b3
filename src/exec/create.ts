import type { Shell } from "../commands/shell.ts";
import type { Config } from "../config/model.ts";
import { Secret } from "../config/secret.ts";
import type { Reporter } from "../output/reporter.ts";
import { LOCAL, type Executor, type RemoteForward, type RunOptions, type RunResult, type ScriptStep, type Upload } from "./executor.ts";
import type { LocalExecutor } from "./local.ts";
import { Recorder } from "./recorder.ts";
import type { HostStats, SshExecutor } from "./ssh.ts";

export type CreateExecutorOptions = {
  readonly dryRun: boolean;
  readonly config: Config;
  readonly reporter: Reporter;
  /** the app directory (where config/deploy.yml and .kamal/ live) */
  readonly cwd: string;
  /** the environment of this process: HOME, SSH_AUTH_SOCK and what local commands inherit */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** -v: also pass output that is not streamed to the reporter */
  readonly verbose?: boolean;
};

/** An Executor that always has interactive and followed sessions, plus connection counts for the bench. */
export interface SextantExecutor extends Executor {
  interactive(host: string, cmd: Shell, opts?: RunOptions): Promise<number>;
  follow(host: string, cmd: Shell, onLine: (line: string) => void, opts?: RunOptions): Promise<number>;
  forwardRemotePort(host: string, port: number, opts?: RunOptions): Promise<RemoteForward>;
  stats(): Map<string, HostStats>;
}

/**
 * The executor for a run: `local` goes to this machine, every other host over SSH; with `dryRun` everything goes
 * to the Recorder, which prints each command as a planned line and runs nothing. The local (execa) and SSH (ssh2)
 * executors load on their first command, so a dry run or a purely local command never pays for the other.
 */
export function createExecutor(opts: CreateExecutorOptions): SextantExecutor {
  if (opts.dryRun) return new Recorder({ reporter: opts.reporter, announce: true });
  return new Router(opts);
}

/**
 * Which of `ssh.user` / `ssh.port` deploy.yml writes: those beat ssh_config, absent ones yield to it (pass this to
 * `keyscan` too, so it dials what the executor dials).
 */
export function explicitSsh(config: Config): { user: boolean; port: boolean } {
  const ssh = config.raw.ssh;
  const written = typeof ssh === "object" && ssh !== null ? (ssh as Readonly<Record<string, unknown>>) : {};
  return { user: written.user !== undefined, port: written.port !== undefined };
}

/** `ssh.key_data` entries name secrets; an entry that is not a secret's name is key material itself (deprecated in Kamal). */
async function keyData(config: Config): Promise<Secret[]> {
  const names = config.ssh.keyData ?? [];
  if (names.length === 0) return [];
  await config.secrets.load();
  return names.map((name) => (config.secrets.has(name) ? config.secrets.get(name) : new Secret(name, "ssh/key_data")));
}

class Router implements SextantExecutor {
  readonly #opts: CreateExecutorOptions;
  #local: Promise<LocalExecutor> | undefined;
  #ssh: Promise<SshExecutor> | undefined;
  /** set once the SSH executor exists, for the synchronous `stats()` */
  #sshLoaded: SshExecutor | undefined;
  constructor(opts: CreateExecutorOptions) {
    this.#opts = opts;
  }
  #localExecutor(): Promise<LocalExecutor> {
    const opts = this.#opts;
    return (this.#local ??= import("./local.ts").then(
      ({ LocalExecutor }) => new LocalExecutor({ reporter: opts.reporter, cwd: opts.cwd, env: opts.env, echo: opts.verbose }),
    ));
  }
  #sshExecutor(): Promise<SshExecutor> {
    const { config, ...opts } = this.#opts;
    return (this.#ssh ??= Promise.all([import("./ssh.ts"), import("./passphrase.ts")]).then(([{ SshExecutor }, { terminalPassphrases }]) => {
      this.#sshLoaded = new SshExecutor({
        reporter: opts.reporter,
        ssh: config.ssh,
        sshkit: config.sshkit,
        cwd: opts.cwd,
        explicit: explicitSsh(config),
        keyData: () => keyData(config),
        env: opts.env,
        echo: opts.verbose,
        passphrase: terminalPassphrases(),
      });
      return this.#sshLoaded;
    }));
  }
  #for(host: string): Promise<Executor> {
    return host === LOCAL ? this.#localExecutor() : this.#sshExecutor();
  }
  async run(host: string, cmd: Shell, opts?: RunOptions): Promise<RunResult> {
    return (await this.#for(host)).run(host, cmd, opts);
  }
  async capture(host: string, cmd: Shell, opts?: RunOptions): Promise<string> {
    return (await this.#for(host)).capture(host, cmd, opts);
  }
  async attempt(host: string, cmd: Shell, opts?: RunOptions): Promise<RunResult> {
    return (await this.#for(host)).attempt(host, cmd, opts);
  }
  async script(host: string, steps: readonly ScriptStep[], opts?: RunOptions): Promise<RunResult[]> {
    return (await this.#for(host)).script(host, steps, opts);
  }
  async upload(host: string, file: Upload, opts?: RunOptions): Promise<void> {
    return (await this.#for(host)).upload(host, file, opts);
  }
  async interactive(host: string, cmd: Shell, opts?: RunOptions): Promise<number> {
    if (host === LOCAL) throw new Error("interactive sessions run on hosts, not locally");
    return (await this.#sshExecutor()).interactive(host, cmd, opts);
  }
  async follow(host: string, cmd: Shell, onLine: (line: string) => void, opts?: RunOptions): Promise<number> {
    if (host === LOCAL) throw new Error("followed sessions run on hosts, not locally");
    return (await this.#sshExecutor()).follow(host, cmd, onLine, opts);
  }
  async forwardRemotePort(host: string, port: number, opts?: RunOptions): Promise<RemoteForward> {
    if (host === LOCAL) throw new Error("ports are forwarded from hosts, not from this machine");
    return (await this.#sshExecutor()).forwardRemotePort(host, port, opts);
  }
  connect(hosts: readonly string[], signal?: AbortSignal): void {
    const remote = hosts.filter((host) => host !== LOCAL);
    if (remote.length > 0) void this.#sshExecutor().then((ssh) => ssh.connect(remote, signal), () => undefined);
  }
  stats(): Map<string, HostStats> {
    return this.#sshLoaded?.stats() ?? new Map();
  }
  /** Closes only the executors that were used. */
  async close(): Promise<void> {
    await Promise.all([this.#local, this.#ssh].map(async (executor) => (await executor)?.close()));
  }
}
