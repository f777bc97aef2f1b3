import path from "node:path";

// Everything the lab creates is named from these constants, so a crashed run can be found and removed by
// name (namespaces, links, cgroups) while processes are only ever signalled by recorded PID.

/** Private test subnet; nothing outside it is routed from inside the lab. */
export const SUBNET_PREFIX = "10.213.0";
export const BRIDGE = "sxlab0";
export const BRIDGE_ADDRESS = `${SUBNET_PREFIX}.1`;
export const REGISTRY_ADDRESS = `${SUBNET_PREFIX}.2`;
export const BUILDER_ADDRESS = `${SUBNET_PREFIX}.3`;
/** Hosts get .11, .12, … */
export const FIRST_HOST_OCTET = 11;
export const MAX_HOSTS = 200;

export const REGISTRY_NAME = "registry.test";
export const REGISTRY_PORT = 5000;
export const REGISTRY = `${REGISTRY_NAME}:${REGISTRY_PORT}`;

/** Prefix of netns, veth and cgroup names. */
export const NAME_PREFIX = "sxlab-";

/** Debian's docker client, which matches the lab's dockerd (20.10); /usr/local/bin/docker may be newer. */
export const DOCKER_BIN = "/usr/bin/docker";

export const INSTALL_HINT = "run `sudo bash scripts/install-lab.sh` (Debian 12, as root)";

/** Binaries the lab runs; a missing one means the install script has not run. */
export const REQUIRED_BINARIES = [
  "/usr/sbin/dockerd",
  "/usr/bin/containerd",
  DOCKER_BIN,
  "/usr/sbin/docker-proxy",
  "/usr/sbin/sshd",
  "/usr/bin/ssh",
  "/usr/bin/ssh-keygen",
  "/usr/bin/docker-registry",
  "/bin/busybox",
  "/usr/bin/tini",
  "/usr/bin/tini-static",
  "/usr/bin/redis-server",
  "/usr/bin/nsenter",
  "/usr/bin/unshare",
  "/usr/sbin/ip",
  "/usr/sbin/iptables",
] as const;

/** The lab's state directory: runtime files, persistent keys and the image cache. */
export function labDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.SEXTANT_LAB_DIR || "/tmp/sextant-lab");
}

/** Number of hosts to start: SEXTANT_LAB_HOSTS, default 3. */
export function hostCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SEXTANT_LAB_HOSTS;
  if (!raw) return 3;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOSTS)
    throw new Error(`SEXTANT_LAB_HOSTS must be an integer from 1 to ${MAX_HOSTS}, got ${JSON.stringify(raw)}`);
  return n;
}

export function hostName(index: number): string {
  return `host-${index + 1}`;
}

export function hostAddress(index: number): string {
  return `${SUBNET_PREFIX}.${FIRST_HOST_OCTET + index}`;
}

/** Latency relays (latency.ts) listen on 127.213.0.N:22 in front of 10.213.0.N; any 127/8 address is local. */
export const RELAY_PREFIX = "127.213.0";

export function relayAddress(index: number): string {
  return `${RELAY_PREFIX}.${FIRST_HOST_OCTET + index}`;
}
