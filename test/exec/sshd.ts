import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";
export const hasSshd = existsSync(SSHD) && existsSync("/usr/bin/ssh-keygen");

/** A real OpenSSH server on loopback addresses, with its own host key and a generated client key. */
export type Sshd = {
  readonly port: number;
  readonly dir: string;
  /** the client's private key file */
  readonly userKey: string;
  /** the server's public host key line ("ssh-ed25519 AAAA...") */
  readonly hostKey: string;
  /** what sshd wrote to stderr so far (raise LogLevel through `extra` to debug) */
  log(): string;
  stop(): Promise<void>;
};

export function keygen(file: string, type = "ed25519"): void {
  const r = spawnSync("/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-f", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts sshd listening on each address at one port; `userKey` may be shared between servers. */
export async function startSshd(opts: { addresses: string[]; userKey?: string; extra?: string[] }): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), "sextant-sshd-"));
  const port = await freePort();
  keygen(join(dir, "host_ed25519"));
  const userKey = opts.userKey ?? join(dir, "user_ed25519");
  if (!opts.userKey) keygen(userKey);
  await writeFile(join(dir, "authorized_keys"), await readFile(`${userKey}.pub`));
  await mkdir("/run/sshd", { recursive: true });
  // sshd keeps the first value of a keyword, so the extra lines go first to override the defaults below
  const config = [
    ...(opts.extra ?? []),
    ...opts.addresses.map((a) => `ListenAddress ${a}:${port}`),
    `HostKey ${join(dir, "host_ed25519")}`,
    `PidFile ${join(dir, "sshd.pid")}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    "StrictModes no",
    "UsePAM no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "AllowTcpForwarding yes",
    "MaxStartups 100",
    "LogLevel ERROR",
  ];
  await writeFile(join(dir, "sshd_config"), `${config.join("\n")}\n`);
  // A watchdog shell runs sshd and stops it when our end of its stdin closes, which also happens when this test
  // process dies without cleaning up (a killed run must not leave servers behind).
  const watchdog = 'sshd="$0"; "$sshd" -D -e -f "$1" </dev/null & pid=$!; read -r _; kill "$pid"; wait "$pid"';
  const child: ChildProcess = spawn("/bin/sh", ["-c", watchdog, SSHD, join(dir, "sshd_config")], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise((r) => child.once("exit", r));
  await waitForPort(opts.addresses[0] ?? "127.0.0.1", port, () => stderr).catch(async (err: unknown) => {
    child.stdin?.end();
    await exited;
    throw err;
  });
  const hostKey = (await readFile(join(dir, "host_ed25519.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
  return {
    port,
    dir,
    userKey,
    hostKey,
    log: () => stderr,
    async stop() {
      child.stdin?.end();
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(host: string, port: number, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port }, () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not start on ${host}:${port}: ${stderr()}`);
}
