import { homedir } from "node:os";
import { join } from "node:path";
import type { Client } from "ssh2";
import type { Ssh, Sshkit } from "../config/model.ts";
import type { Secret } from "../config/secret.ts";
import type { Reporter } from "../output/reporter.ts";
import { Limit } from "./limit.ts";
import type { PassphraseSource } from "./ssh-auth.ts";
import { configFilesFor, loadConfigFiles, type ConfigBlock } from "./ssh-config.ts";
import { connect, type ConnectDeps } from "./ssh-connect.ts";
import type { RemoteShell } from "./ssh-shell.ts";
import { resolveTarget, type Target } from "./ssh-target.ts";

export type PoolOptions = {
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
  /** answers for passphrase-protected key files; none by default */
  readonly passphrase?: PassphraseSource;
};

export type HostStats = { connects: number; execs: number };

/**
 * An open connection and the queue for its sessions. `forwardAgent` starts as ssh.forward_agent (when an agent
 * is running) and turns off for good if the host refuses forwarding. `shell` is the connection's long-lived
 * shell session (ssh-shell.ts) once the executor opened it; undefined in it means the host refused one.
 */
export type Connection = {
  readonly client: Client;
  readonly channels: Limit;
  forwardAgent: boolean;
  shell?: Promise<RemoteShell | undefined>;
};

// sshd's default MaxSessions is 10: the shell session holds one, and one stays free for whoever else shares the
// connection (e.g. interactive use)
const CHANNELS_PER_CONNECTION = 8;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * One SSH connection per host for the whole run, opened on first use and shared by every command; jump hosts are
 * shared by the hosts behind them. At most sshkit.max_concurrent_starts handshakes run at once.
 */
export class SshPool {
  readonly #o: PoolOptions;
  readonly #home: string;
  readonly #connections = new Map<string, Promise<Connection>>();
  readonly #jumps = new Map<string, Promise<Client>>();
  readonly #handshakes: Limit;
  readonly #stats = new Map<string, HostStats>();
  #blocks: Promise<ConfigBlock[]> | undefined;
  #keyData: Promise<readonly Secret[]> | undefined;

  constructor(options: PoolOptions) {
    this.#o = options;
    this.#home = options.env?.HOME ?? homedir();
    this.#handshakes = new Limit(options.sshkit.maxConcurrentStarts);
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

  stats(): Map<string, HostStats> {
    return new Map([...this.#stats].map(([h, s]) => [h, { ...s }]));
  }

  count(host: string, what: keyof HostStats): void {
    const stats = this.#stats.get(host) ?? { connects: 0, execs: 0 };
    stats[what]++;
    this.#stats.set(host, stats);
  }

  connection(host: string, signal?: AbortSignal): Promise<Connection> {
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
    const forwardAgent = this.#o.ssh.forwardAgent && this.#o.env?.SSH_AUTH_SOCK !== undefined;
    return { client, channels: new Limit(CHANNELS_PER_CONNECTION), forwardAgent };
  }

  /** Connects to a target; a jump host is connected (or reused) first, outside the handshake limit. */
  async #dial(target: Target, statsName: string, signal?: AbortSignal): Promise<Client> {
    const jump = target.via && "jump" in target.via ? target.via.jump : undefined;
    const jumpClient = jump ? await this.#jump(jump, signal) : undefined;
    const client = await this.#handshakes.run(() => connect(target, this.#deps(signal, jumpClient)));
    this.count(statsName, "connects");
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
      passphrase: this.#o.passphrase,
      signal,
    };
  }

  #configBlocks(): Promise<ConfigBlock[]> {
    return (this.#blocks ??= loadConfigFiles(configFilesFor(this.#o.ssh.config, this.#o.cwd, this.#home), this.#home));
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
