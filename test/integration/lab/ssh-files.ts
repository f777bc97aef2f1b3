import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { RELAY_PREFIX, relayAddress, SUBNET_PREFIX } from "./settings.ts";

// Keys live under <lab>/keys and survive teardown, so a host keeps its host key across runs and a known_hosts
// written by an earlier run (or by sextant itself) stays valid.

export type SshFiles = { keyPath: string; configPath: string; knownHostsPath: string };

async function ensureKey(file: string, comment: string): Promise<void> {
  if (fs.existsSync(file) && fs.existsSync(`${file}.pub`)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
}

export function hostKeyPath(dir: string, host: string): string {
  return path.join(dir, "keys", host, "ssh_host_ed25519_key");
}

/** Client key, per-host host keys, ssh_config and known_hosts for `hosts`. */
export async function writeSshFiles(dir: string, hosts: readonly { name: string; address: string }[]): Promise<SshFiles> {
  const keyPath = path.join(dir, "keys", "client", "id_ed25519");
  await Promise.all([
    ensureKey(keyPath, "sextant-lab"),
    ...hosts.map((h) => ensureKey(hostKeyPath(dir, h.name), `root@${h.name}`)),
  ]);
  const knownHostsPath = path.join(dir, "known_hosts");
  // a host is also known by the address of its latency relay (latency.ts), which forwards to its sshd
  const known = hosts.map((h, i) => {
    const [type, key] = fs.readFileSync(`${hostKeyPath(dir, h.name)}.pub`, "utf8").split(" ");
    return `${h.address},${h.name},${relayAddress(i)} ${type} ${key}\n`;
  });
  fs.writeFileSync(knownHostsPath, known.join(""));
  const configPath = path.join(dir, "ssh_config");
  fs.writeFileSync(
    configPath,
    [
      // Host names resolve only through this file; the root namespace's /etc/hosts is left alone.
      ...hosts.flatMap((h) => [`Host ${h.name}`, `  HostName ${h.address}`]),
      `Host ${SUBNET_PREFIX}.* host-* ${RELAY_PREFIX}.*`,
      "  User root",
      `  IdentityFile ${keyPath}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${knownHostsPath}`,
      "  StrictHostKeyChecking yes",
      "  BatchMode yes",
      "  ConnectTimeout 10",
      "  LogLevel ERROR",
      "",
    ].join("\n"),
  );
  return { keyPath, configPath, knownHostsPath };
}

/** sshd for one host: root by key only, no PAM, and Debian's docker client first on PATH. */
export function sshdConfig(): string {
  return [
    "Port 22",
    "ListenAddress 0.0.0.0",
    "HostKey /etc/ssh/ssh_host_ed25519_key",
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "AuthorizedKeysFile .ssh/authorized_keys",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "UseDNS no",
    "PrintMotd no",
    "PidFile /run/sshd.pid",
    // Parallel tests open many channels per connection and many connections at once.
    "MaxSessions 200",
    "MaxStartups 200:30:400",
    // /usr/local/bin is left out: it may hold a newer docker client than the lab's 20.10 daemon.
    "SetEnv PATH=/usr/sbin:/usr/bin:/sbin:/bin",
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    "",
  ].join("\n");
}
