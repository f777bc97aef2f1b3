import { homedir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import type { Ssh } from "../config/model.ts";
import { knownHostsName } from "./known-hosts.ts";
import { expandTilde, resolveHostConfig, type ConfigBlock } from "./ssh-config.ts";

/** Everything needed to open one SSH connection, after deploy.yml and ssh_config have been combined. */
export type Target = {
  /** the name as written in deploy.yml (or in a jump spec), for messages and stats */
  readonly host: string;
  /** where to connect: ssh_config HostName, or the name itself */
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly identityFiles: readonly string[];
  /** only the configured keys: no agent, no default ~/.ssh/id_* files */
  readonly keysOnly: boolean;
  readonly via: { readonly jump: Target } | { readonly command: string } | undefined;
  /** the name the host key is filed under in known_hosts */
  readonly hostKeyName: string;
  readonly userKnownHosts: readonly string[];
  readonly globalKnownHosts: readonly string[];
  /** ssh_config StrictHostKeyChecking; unset means accept-new, Kamal's behaviour */
  readonly strictHostKeyChecking: string;
  readonly connectTimeoutMs: number | undefined;
};

export type TargetSettings = {
  readonly ssh: Ssh;
  /** which of ssh.user / ssh.port deploy.yml sets; unset ones yield to ssh_config before the defaults */
  readonly explicit: { readonly user: boolean; readonly port: boolean };
  readonly blocks: readonly ConfigBlock[];
  readonly home?: string;
  /** the app directory: relative key paths resolve against it */
  readonly cwd: string;
};

const DEFAULT_IDENTITIES = ["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_dsa"];

/**
 * Combines deploy.yml's `ssh` with the host's ssh_config entry. deploy.yml wins where it says something
 * (`proxy`, `proxy_command`, `keys_only`, an explicit `user`/`port`), as net-ssh lets explicit options override
 * the config files; keys from both are offered, deploy.yml's first.
 */
export function resolveTarget(host: string, s: TargetSettings): Target {
  const home = s.home ?? homedir();
  const fromConfig = resolveHostConfig(s.blocks, host, home);
  const address = fromConfig.hostName ?? host;
  const port = s.explicit.port ? s.ssh.port : (fromConfig.port ?? s.ssh.port);
  const user = s.explicit.user ? s.ssh.user : (fromConfig.user ?? s.ssh.user);
  const keysOnly = s.ssh.keysOnly ?? fromConfig.identitiesOnly ?? false;
  const configured = [...(s.ssh.keys ?? []).map((k) => resolve(s.cwd, expandTilde(k, home))), ...fromConfig.identityFiles];
  const noKeysNamed = configured.length === 0 && !s.ssh.keyData?.length;
  const identityFiles = noKeysNamed ? DEFAULT_IDENTITIES.map((f) => join(home, ".ssh", f)) : configured;
  return {
    host,
    address,
    port,
    user,
    identityFiles,
    keysOnly,
    via: via(s, fromConfig.proxyJump, fromConfig.proxyCommand),
    hostKeyName: knownHostsName(fromConfig.hostKeyAlias ?? address, port),
    userKnownHosts: fromConfig.userKnownHostsFiles ?? [join(home, ".ssh", "known_hosts"), join(home, ".ssh", "known_hosts2")],
    globalKnownHosts: fromConfig.globalKnownHostsFiles ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
    strictHostKeyChecking: fromConfig.strictHostKeyChecking ?? "accept-new",
    connectTimeoutMs: fromConfig.connectTimeout === undefined ? undefined : fromConfig.connectTimeout * 1000,
  };
}

function via(s: TargetSettings, proxyJump: string | undefined, proxyCommand: string | undefined): Target["via"] {
  if (s.ssh.proxy) return { jump: jumpTarget(s.ssh.proxy, s, "root") };
  if (s.ssh.proxyCommand) return { command: s.ssh.proxyCommand };
  if (proxyJump) {
    // several comma-separated hops: the last one is adjacent to the target, the earlier ones lead to it
    const hops = proxyJump.split(",");
    const last = hops.pop() ?? "";
    const rest = hops.join(",");
    const hopSettings: TargetSettings = rest ? { ...s, blocks: [...s.blocks, proxyJumpBlock(last, rest)] } : s;
    return { jump: jumpTarget(last, hopSettings, undefined) };
  }
  if (proxyCommand) return { command: proxyCommand };
  return undefined;
}

/** A synthetic ssh_config block that makes `host` reach its hop through the remaining hops. */
function proxyJumpBlock(spec: string, rest: string): ConfigBlock {
  return { patterns: [parseSpec(spec).host], options: [{ key: "proxyjump", args: [rest] }] };
}

/**
 * A jump host from `user@host[:port]`. Kamal's `ssh.proxy` defaults the user to root; an ssh_config ProxyJump
 * falls back to the jump host's own ssh_config and then the local user, as OpenSSH does.
 */
function jumpTarget(spec: string, s: TargetSettings, defaultUser: string | undefined): Target {
  const { user, host, port } = parseSpec(spec);
  const own = resolveTarget(host, {
    ...s,
    ssh: { ...s.ssh, proxy: undefined, proxyCommand: undefined, user: user ?? defaultUser ?? s.ssh.user, port: port ?? 22 },
    explicit: { user: user !== undefined || defaultUser !== undefined, port: port !== undefined },
  });
  return user === undefined && defaultUser === undefined && !resolveHostConfig(s.blocks, host, s.home).user
    ? { ...own, user: userInfo().username }
    : own;
}

export function parseSpec(spec: string): { user: string | undefined; host: string; port: number | undefined } {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.trim());
  if (!match) return { user: undefined, host: spec.trim(), port: undefined };
  return { user: match[1], host: (match[2] ?? "").replace(/^\[|\]$/g, ""), port: match[3] ? Number(match[3]) : undefined };
}
