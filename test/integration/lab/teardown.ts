import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { leftovers, removeCgroups, removeNetwork } from "./network.ts";
import { orphans, stopProcesses } from "./processes.ts";
import { NAME_PREFIX } from "./settings.ts";
import { readState, statePath } from "./state.ts";

// Removes everything a lab run created, whether it finished, failed half-way or crashed: processes by
// recorded PID (checked against their command line), then namespaces, links, the FORWARD rule, cgroups,
// any mount left under the lab directory, and the runtime files. Keys and the image cache stay.

export async function teardown(dir: string): Promise<void> {
  const state = readState(dir);
  const recorded = state?.resources.processes ?? [];
  const known = new Set(recorded.map((p) => p.pid));
  await stopProcesses([...recorded, ...orphans(dir).filter((p) => !known.has(p.pid))]);
  await removeNetwork(state?.resources.namespaces ?? []);
  const { namespaces } = await leftovers();
  await removeCgroups([...new Set([...(state?.resources.cgroupParents ?? []), ...namespaces, ...cgroupsByPrefix()])]);
  await unmountUnder(dir);
  fs.rmSync(path.join(dir, "nodes"), { recursive: true, force: true });
  for (const file of ["ssh_config", "known_hosts"]) fs.rmSync(path.join(dir, file), { force: true });
  fs.rmSync(statePath(dir), { force: true });
}

/** Lab cgroups left by a run whose state file is gone. */
function cgroupsByPrefix(): string[] {
  try {
    return fs.readdirSync("/sys/fs/cgroup/memory").filter((name) => name.startsWith(NAME_PREFIX));
  } catch {
    return [];
  }
}

/** Mounts live in each node's private mount namespace; this only catches ones that leaked out. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await execa("umount", ["-l", point], { reject: false });
}
