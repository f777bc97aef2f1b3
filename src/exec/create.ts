import type { Shell } from "../commands/shell.ts";
import type { Config } from "../config/model.ts";
import { Secret } from "../config/secret.ts";
import type { Reporter } from "../output/reporter.ts";
import { LOCAL, type Executor, type RunOptions, type RunResult, type ScriptStep, type Upload } from "./executor.ts";
import { LocalExecutor } from "./local.ts";
import { Recorder } from "./recorder.ts";
import { SshExecutor, type HostStats } from "./ssh.ts";

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

/** An Executor that always has interactive sessions, plus connection counts for the bench. */
export interface SextantExecutor extends Executor {
  interactive(host: string, cmd: Shell, opts?: RunOptions): Promise<number>;
  stats(): Map<string, HostStats>;
}

/**
 * The executor for a run: `local` goes to this machine, every other host over SSH; with `dryRun` everything goes
 * to the Recorder, which prints each command as a planned line and runs nothing.
 */
export function createExecutor(opts: CreateExecutorOptions): SextantExecutor {
  if (opts.dryRun) return new Recorder({ reporter: opts.reporter });
  const { config } = opts;
  const local = new LocalExecutor({ reporter: opts.reporter, cwd: opts.cwd, env: opts.env, echo: opts.verbose });
  const ssh = new SshExecutor({
    reporter: opts.reporter,
    ssh: config.ssh,
    sshkit: config.sshkit,
    cwd: opts.cwd,
    explicit: explicitSsh(config),
    keyData: () => keyData(config),
    env: opts.env,
    echo: opts.verbose,
  });
  return new Router(local, ssh);
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
  readonly #local: LocalExecutor;
  readonly #ssh: SshExecutor;
  constructor(local: LocalExecutor, ssh: SshExecutor) {
    this.#local = local;
    this.#ssh = ssh;
  }
  #for(host: string): Executor {
    return host === LOCAL ? this.#local : this.#ssh;
  }
  run(host: string, cmd: Shell, opts?: RunOptions): Promise<RunResult> {
    return this.#for(host).run(host, cmd, opts);
  }
  capture(host: string, cmd: Shell, opts?: RunOptions): Promise<string> {
    return this.#for(host).capture(host, cmd, opts);
  }
  attempt(host: string, cmd: Shell, opts?: RunOptions): Promise<RunResult> {
    return this.#for(host).attempt(host, cmd, opts);
  }
  script(host: string, steps: readonly ScriptStep[], opts?: RunOptions): Promise<RunResult[]> {
    return this.#for(host).script(host, steps, opts);
  }
  upload(host: string, file: Upload, opts?: RunOptions): Promise<void> {
    return this.#for(host).upload(host, file, opts);
  }
  interactive(host: string, cmd: Shell, opts?: RunOptions): Promise<number> {
    if (host === LOCAL) throw new Error("interactive sessions run on hosts, not locally");
    return this.#ssh.interactive(host, cmd, opts);
  }
  stats(): Map<string, HostStats> {
    return this.#ssh.stats();
  }
  async close(): Promise<void> {
    await Promise.all([this.#local.close(), this.#ssh.close()]);
  }
}
