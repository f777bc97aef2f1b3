import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REGISTRY } from "./settings.ts";
import type { LabProcess } from "./state.ts";
import { sshdConfig } from "./ssh-files.ts";

// A lab node is one network namespace plus private mount, UTS, IPC and PID namespaces with tini as PID 1.
// Binding /run, /var/lib/docker, /etc/docker, /etc/ssh, /root and /etc/hosts from the node's directory gives
// it its own /var/run/docker.sock, so `ssh root@<address> docker ps` reaches this node's dockerd unchanged.

export type NodeSpec = {
  /** Network namespace name, also the cgroup parent of its containers. */
  name: string;
  hostname: string;
  address: string;
  /** Runtime directory of this node; removed on teardown. */
  dir: string;
  /** dockerd data root; the build daemon's lives in the cache so built images survive teardown. */
  dataRoot: string;
  etcHosts: string;
  /** sshd host key and the client's public key; hosts have them, the build daemon does not. */
  ssh: { hostKey: string; authorizedKey: string } | null;
};

export const dockerSocket = (dir: string) => path.join(dir, "run", "docker.sock");

function daemonConfig(spec: NodeSpec): string {
  return JSON.stringify(
    {
      "data-root": "/var/lib/docker",
      "exec-root": "/run/docker",
      pidfile: "/run/docker.pid",
      hosts: ["unix:///run/docker.sock"],
      "storage-driver": "overlay2",
      "exec-opts": ["native.cgroupdriver=cgroupfs"],
      "cgroup-parent": `/${spec.name}`,
      "insecure-registries": [REGISTRY],
      // Teardown should not wait the default 15 s per container.
      "shutdown-timeout": 2,
      "log-level": "warn",
    },
    null,
    2,
  );
}

function bootScript(spec: NodeSpec): string {
  const d = spec.dir;
  const sshMounts = spec.ssh ? [`mount --bind ${d}/etc-ssh /etc/ssh`, `mount --bind ${d}/root /root`] : [];
  const sshd = spec.ssh
    ? ["mkdir -p /run/sshd", `/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config >>${d}/sshd.log 2>&1 &`]
    : [];
  return [
    "#!/bin/sh",
    "set -eu",
    // A fresh sysfs shows this namespace's network devices (dockerd reads them); the cgroup tree is carried over.
    `mkdir -p ${d}/cgroup-keep`,
    `mount --rbind /sys/fs/cgroup ${d}/cgroup-keep`,
    "mount -t sysfs sysfs /sys",
    `mount --move ${d}/cgroup-keep /sys/fs/cgroup`,
    `hostname ${spec.hostname}`,
    "mkdir -p /etc/docker /var/lib/docker",
    `mount --bind ${d}/run /run`,
    `mount --bind ${d}/hosts /etc/hosts`,
    `mount --bind ${d}/hostname /etc/hostname`,
    `mount --bind ${d}/etc-docker /etc/docker`,
    `mount --bind ${spec.dataRoot} /var/lib/docker`,
    ...sshMounts,
    "export PATH=/usr/sbin:/usr/bin:/sbin:/bin",
    // tini -g sends TERM to this whole process group: dockerd and sshd stop while this shell waits for them.
    "set +e",
    "trap 'wait' TERM INT",
    `dockerd --config-file /etc/docker/daemon.json >>${d}/dockerd.log 2>&1 &`,
    ...sshd,
    "wait",
    "",
  ].join("\n");
}

function writeNodeFiles(spec: NodeSpec): string {
  const d = spec.dir;
  for (const sub of ["run", "etc-docker", "etc-ssh", "root/.ssh"]) fs.mkdirSync(path.join(d, sub), { recursive: true });
  fs.mkdirSync(spec.dataRoot, { recursive: true });
  fs.writeFileSync(path.join(d, "hosts"), spec.etcHosts);
  fs.writeFileSync(path.join(d, "hostname"), `${spec.hostname}\n`);
  fs.writeFileSync(path.join(d, "etc-docker", "daemon.json"), daemonConfig(spec));
  if (spec.ssh) {
    fs.writeFileSync(path.join(d, "etc-ssh", "sshd_config"), sshdConfig());
    fs.copyFileSync(spec.ssh.hostKey, path.join(d, "etc-ssh", "ssh_host_ed25519_key"));
    fs.copyFileSync(`${spec.ssh.hostKey}.pub`, path.join(d, "etc-ssh", "ssh_host_ed25519_key.pub"));
    fs.chmodSync(path.join(d, "etc-ssh", "ssh_host_ed25519_key"), 0o600);
    fs.writeFileSync(path.join(d, "root", ".ssh", "authorized_keys"), spec.ssh.authorizedKey, { mode: 0o600 });
  }
  const boot = path.join(d, "boot.sh");
  fs.writeFileSync(boot, bootScript(spec), { mode: 0o755 });
  return boot;
}

/**
 * Starts the node detached (it outlives this process, for `npm run lab:up`) and records tini, PID 1 of the
 * node: TERM to it stops dockerd and sshd gracefully. The unshare parent exits with it, and if the parent is
 * killed instead, --kill-child takes the whole node down.
 */
export async function startNode(spec: NodeSpec, record: (p: LabProcess) => void): Promise<LabProcess> {
  const boot = writeNodeFiles(spec);
  const log = fs.openSync(path.join(spec.dir, "boot.log"), "a");
  const child = spawn(
    "nsenter",
    [
      `--net=/run/netns/${spec.name}`,
      "--",
      "unshare",
      "--mount",
      "--uts",
      "--ipc",
      "--pid",
      "--fork",
      "--mount-proc",
      "--propagation",
      "private",
      // If the unshare parent is killed, the whole node goes with it.
      "--kill-child",
      "/usr/bin/tini",
      "-g",
      "--",
      "/bin/sh",
      boot,
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start lab node ${spec.hostname}`);
  child.unref();
  const tini = await childOf(pid);
  const proc = { pid: tini ?? pid, marker: boot, graceful: spec.ssh === null };
  record(proc);
  return proc;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function childOf(pid: number): Promise<number | null> {
  for (let i = 0; i < 100; i++) {
    try {
      const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
      if (children) return Number(children.split(" ")[0]);
    } catch {
      return null;
    }
    await sleep(10);
  }
  return null;
}
