import { spawn } from "node:child_process";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { Duplex } from "node:stream";
// ssh2 is CommonJS and stays outside the bundle, so it is imported whole (Node has no named exports for it).
import ssh2, { type Client, type ConnectConfig, type ServerHostKeyAlgorithm } from "ssh2";
import type { Secret } from "../config/secret.ts";
import { InterruptedError, SextantError } from "../errors.ts";
import { checkHostKey } from "./host-key.ts";
import { keyType, readKnownKeys } from "./known-hosts.ts";
import { authMethods, type PassphraseSource } from "./ssh-auth.ts";
import type { Target } from "./ssh-target.ts";

export type ConnectDeps = {
  /** `ssh.key_data` secrets, resolved on first use */
  readonly keyData: () => Promise<readonly Secret[]>;
  readonly agentSocket: string | undefined;
  /** the app's `.kamal/known_hosts`, checked before the user's files */
  readonly pinnedKnownHosts: string;
  readonly connectTimeoutMs: number;
  readonly dnsRetries: number;
  readonly forwardAgent: boolean;
  /** opens, or reuses, the connection to a jump host */
  readonly jump: (target: Target) => Promise<Client>;
  readonly warn: (message: string) => void;
  readonly debug?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** replaces the known_hosts check (keyscan collects keys instead) */
  readonly verify?: (key: Buffer) => Promise<SextantError | undefined>;
  readonly hostKeyAlgorithms?: readonly ServerHostKeyAlgorithm[];
  /** answers for passphrase-protected key files (the terminal, once per file) */
  readonly passphrase?: PassphraseSource;
};

const KEEPALIVE_MS = 30_000;
// ssh2's own preference, used after the algorithms of keys already on file for the host
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];

/**
 * Opens an authenticated SSH connection to `target`, through its jump host or proxy command if it has one.
 * A connection dropped during the handshake (sshd's MaxStartups throttling many parallel logins does this) is
 * retried like a DNS failure: sshkit.dns_retries times, with the same backoff.
 */
export async function connect(target: Target, deps: ConnectDeps): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(target, deps);
    } catch (err) {
      if (attempt > deps.dnsRetries || !isDroppedHandshake(err)) throw err;
      const delay = backoff(attempt);
      deps.warn(`Retrying connection to ${target.host} (attempt ${attempt}/${deps.dnsRetries}) in ${delay.toFixed(2)}s: ${(err as Error).message}`);
      await sleep(delay, deps.signal);
    }
  }
}

function isDroppedHandshake(err: unknown): boolean {
  const cause = err instanceof Error ? (err.cause as (Error & { code?: string }) | undefined) : undefined;
  return cause?.code === "ECONNRESET" || cause?.code === "EPIPE" || /lost before handshake/i.test(cause?.message ?? "");
}

/** 0.1 s doubling up to 2 s, plus up to 0.1 s of jitter, in seconds. */
const backoff = (attempt: number) => Math.min(0.1 * 2 ** (attempt - 1), 2) + Math.random() * 0.1;

const sleep = (seconds: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

async function connectOnce(target: Target, deps: ConnectDeps): Promise<Client> {
  const [sock, address] = await transport(target, deps);
  const { methods, locked } = await authMethods({
    username: target.user,
    identityFiles: target.identityFiles,
    keyData: await deps.keyData(),
    keysOnly: target.keysOnly,
    agentSocket: deps.agentSocket,
    passphrase: deps.passphrase,
  });
  const client = new ssh2.Client();
  let refusal: SextantError | undefined;
  const verify = deps.verify ?? ((key: Buffer) => checkHostKey(target, key, deps.pinnedKnownHosts));
  const config: ConnectConfig = {
    host: address,
    port: target.port,
    sock,
    username: target.user,
    authHandler: methods.length ? methods : ["none"],
    hostVerifier: (key: Buffer, accept: (ok: boolean) => void) => {
      verify(key).then(
        (err) => ((refusal = err), accept(err === undefined)),
        (err: unknown) => ((refusal = new SextantError(`[${target.host}] could not check the host key`, { cause: err })), accept(false)),
      );
    },
    keepaliveInterval: KEEPALIVE_MS,
    readyTimeout: target.connectTimeoutMs ?? deps.connectTimeoutMs,
    algorithms: { serverHostKey: [...(deps.hostKeyAlgorithms ?? (await hostKeyPreference(target, deps.pinnedKnownHosts)))] },
    // forwarding itself is asked for per session (ssh-channel.ts), so a host that refuses it can be used without
    agent: deps.forwardAgent ? deps.agentSocket : undefined,
    debug: deps.debug,
  };
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      deps.signal?.removeEventListener("abort", abort);
      client.destroy();
      reject(err);
    };
    const abort = () => fail(new InterruptedError(`[${target.host}] connecting was interrupted`));
    if (deps.signal?.aborted) return abort();
    deps.signal?.addEventListener("abort", abort, { once: true });
    client.once("ready", () => {
      settled = true;
      deps.signal?.removeEventListener("abort", abort);
      resolve(client);
    });
    // ssh2 can emit several errors for one failure (a timeout, then the lost socket); the first one is reported
    client.on("error", (err: Error & { level?: string; code?: string }) => fail(refusal ?? connectError(target, methods.length, locked, err)));
    client.connect(config);
  });
}

/** The socket to speak SSH over (a forwarded channel or a proxy command's pipes) or the address to dial. */
async function transport(target: Target, deps: ConnectDeps): Promise<[Duplex | undefined, string]> {
  if (target.via && "jump" in target.via) {
    const hop = target.via.jump;
    const jump = await deps.jump(hop);
    const channel = await new Promise<Duplex>((resolve, reject) =>
      jump.forwardOut("127.0.0.1", 0, target.address, target.port, (err, stream) => (err ? reject(err) : resolve(stream))),
    ).catch((err: Error) => {
      throw new SextantError(`[${target.host}] jump host ${hop.host} could not reach ${target.address}:${target.port}: ${err.message}`, {
        hint: "check that the jump host can reach the target and that its sshd allows TCP forwarding (AllowTcpForwarding)",
        cause: err,
      });
    });
    return [channel, target.address];
  }
  if (target.via) return [proxyCommand(target, target.via.command), target.address];
  return [undefined, await resolveAddress(target, deps)];
}

function proxyCommand(target: Target, template: string): Duplex {
  const line = template.replace(/%(.)/g, (whole, c: string) =>
    c === "h" ? target.address : c === "p" ? String(target.port) : c === "r" ? target.user : c === "%" ? "%" : whole,
  );
  const child = spawn("/bin/sh", ["-c", line], { stdio: ["pipe", "pipe", "inherit"] });
  const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
  duplex.on("close", () => child.kill());
  return duplex;
}

/**
 * Resolves the host name before dialling, retrying DNS failures with backoff and the warning Kamal prints
 * (sshkit.dns_retries).
 */
async function resolveAddress(target: Target, deps: ConnectDeps): Promise<string> {
  if (isIP(target.address)) return target.address;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await lookup(target.address)).address;
    } catch (err) {
      if (attempt > deps.dnsRetries)
        throw new SextantError(`[${target.host}] could not resolve ${target.address}: ${(err as Error).message}`, {
          hint: "check the host name in config/deploy.yml (or HostName in your ssh config) and your DNS",
          cause: err,
        });
      const delay = backoff(attempt);
      deps.warn(`Retrying DNS for ${target.address} (attempt ${attempt}/${deps.dnsRetries}) in ${delay.toFixed(2)}s: ${(err as Error).message}`);
      await sleep(delay, deps.signal);
    }
  }
}

/** Host key algorithms with the types already on file for this host first, so a known key is the one checked. */
async function hostKeyPreference(target: Target, pinned: string): Promise<ServerHostKeyAlgorithm[]> {
  const files = [pinned, ...target.userKnownHosts, ...target.globalKnownHosts];
  const types = new Set((await readKnownKeys(files, target.hostKeyName)).map((k) => keyType(k.blob)));
  const known = HOST_KEY_ALGORITHMS.filter((a) => types.has(a) || (a.startsWith("rsa-sha2") && types.has("ssh-rsa")));
  return [...known, ...HOST_KEY_ALGORITHMS.filter((a) => !known.includes(a))];
}

function connectError(target: Target, offered: number, locked: readonly string[], err: Error & { level?: string; code?: string }): SextantError {
  const who = `${target.user}@${target.address}:${target.port}`;
  if (err.level === "client-authentication" && locked.length > 0)
    return new SextantError(
      `[${target.host}] authentication failed for ${who} (${offered} key${offered === 1 ? "" : "s"} offered; passphrase-protected and not unlocked: ${locked.join(", ")})`,
      { hint: `load the key into ssh-agent (\`ssh-add ${locked[0]}\`) so sextant can use it, or run sextant from a terminal to be asked for its passphrase`, cause: err },
    );
  if (err.level === "client-authentication")
    return new SextantError(`[${target.host}] authentication failed for ${who} (${offered} key${offered === 1 ? "" : "s"} offered)`, {
      hint: `add your public key to ~${target.user}/.ssh/authorized_keys on ${target.host}, or set ssh/keys or ssh/key_data in config/deploy.yml (or load the key into ssh-agent)`,
      cause: err,
    });
  if (err.level === "client-timeout")
    return new SextantError(`[${target.host}] timed out connecting to ${who}`, {
      hint: "check that the host is up and that nothing blocks the SSH port (firewall, security group)",
      cause: err,
    });
  const reason = err.code === "ECONNREFUSED" ? "connection refused" : err.message;
  return new SextantError(`[${target.host}] could not connect to ${who}: ${reason}`, {
    hint: `check that sshd is running on ${target.host} and listening on port ${target.port} (ssh/port in config/deploy.yml)`,
    cause: err,
  });
}
