import { homedir } from "node:os";
import { join } from "node:path";
import type { Client, ServerHostKeyAlgorithm } from "ssh2";
import type { Ssh } from "../config/model.ts";
import { SextantError } from "../errors.ts";
import { knownHostsLine } from "./known-hosts.ts";
import { onHosts } from "./parallel.ts";
import { configFilesFor, loadConfigFiles } from "./ssh-config.ts";
import { connect, type ConnectDeps } from "./ssh-connect.ts";
import { resolveTarget, type Target } from "./ssh-target.ts";

export type KeyscanOptions = {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly explicit?: { readonly user: boolean; readonly port: boolean };
  readonly connectTimeoutMs?: number;
  readonly dnsRetries?: number;
};

// one handshake per key family, like ssh-keyscan's default set
const FAMILIES: ServerHostKeyAlgorithm[] = ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512"];

/**
 * The host keys the hosts present, as known_hosts lines (`[host]:port` for other ports), for `sextant server
 * keyscan` to pin in .kamal/known_hosts. Only the key exchange runs: each handshake stops once the key is seen, so
 * nothing logs in. Jump hosts are connected to normally (their own keys are checked).
 */
export async function keyscan(hosts: readonly string[], ssh: Ssh, opts: KeyscanOptions): Promise<string[]> {
  const home = opts.env?.HOME ?? homedir();
  const blocks = await loadConfigFiles(configFilesFor(ssh.config, opts.cwd, home), home);
  const base: Omit<ConnectDeps, "jump"> = {
    keyData: async () => [],
    agentSocket: opts.env?.SSH_AUTH_SOCK,
    pinnedKnownHosts: join(opts.cwd, ".kamal", "known_hosts"),
    connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
    dnsRetries: opts.dnsRetries ?? 3,
    forwardAgent: false,
    warn: () => undefined,
  };
  const jumps = new Map<string, Promise<Client>>();
  const jump = (target: Target): Promise<Client> => {
    const key = `${target.user}@${target.address}:${target.port}`;
    const pending = jumps.get(key) ?? connect(target, { ...base, jump });
    jumps.set(key, pending);
    return pending;
  };
  try {
    return await scanAll(hosts, (host) => resolveTarget(host, { ssh, explicit: opts.explicit ?? { user: true, port: true }, blocks, home, cwd: opts.cwd }), { ...base, jump });
  } finally {
    for (const pending of jumps.values()) pending.then((c) => c.end(), () => undefined);
  }
}

async function scanAll(hosts: readonly string[], targetOf: (host: string) => Target, deps: ConnectDeps): Promise<string[]> {
  const scanned = await onHosts(hosts, async (host) => {
    const target = targetOf(host);
    const lines = new Set<string>();
    const errors: string[] = [];
    for (const family of FAMILIES) {
      const seen = await presentedKey(target, family, deps).catch((err: Error) => {
        errors.push(err.message);
        return undefined;
      });
      if (seen) lines.add(knownHostsLine(target.hostKeyName, seen));
    }
    if (lines.size === 0) throw new SextantError(errors[0] ?? `[${host}] presented no host key`);
    return [...lines];
  });
  return [...scanned.values()].flat();
}

/** Runs the key exchange far enough to see the host key, then refuses it. Undefined when the host has no key of that type. */
async function presentedKey(target: Target, family: ServerHostKeyAlgorithm, deps: ConnectDeps): Promise<Buffer | undefined> {
  let seen: Buffer | undefined;
  const stop = new SextantError("host key collected");
  const client = await connect(target, {
    ...deps,
    hostKeyAlgorithms: [family],
    verify: async (key) => ((seen = key), stop),
  }).catch((err: unknown) => {
    if (err === stop) return undefined;
    if (err instanceof SextantError && /handshake failed|no matching/i.test(String((err.cause as Error | undefined)?.message))) return undefined;
    throw err;
  });
  client?.end();
  return seen;
}
