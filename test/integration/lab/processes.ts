import fs from "node:fs";
import type { LabProcess } from "./state.ts";

// Lab processes are signalled only by recorded PID, and only after their command line still contains the
// marker recorded with them (a path inside the lab directory): a recycled PID is never hit.

export function cmdline(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return null;
  }
}

export function isAlive(proc: LabProcess): boolean {
  const line = cmdline(proc.pid);
  return line !== null && line.includes(proc.marker);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** KILL, or TERM and then KILL after `graceMs` for graceful ones; resolves once every process is gone. */
export async function stopProcesses(procs: readonly LabProcess[], graceMs = 10_000): Promise<void> {
  const signal = (sig: NodeJS.Signals, which: readonly LabProcess[]) => {
    for (const p of which) {
      if (!isAlive(p)) continue;
      try {
        process.kill(p.pid, sig);
      } catch {
        // exited between the check and the signal
      }
    }
  };
  signal("SIGKILL", procs.filter((p) => !p.graceful));
  signal("SIGTERM", procs.filter((p) => p.graceful));
  const deadline = Date.now() + graceMs;
  while (procs.some(isAlive) && Date.now() < deadline) await sleep(50);
  if (!procs.some(isAlive)) return;
  signal("SIGKILL", procs);
  const killDeadline = Date.now() + 5000;
  while (procs.some(isAlive) && Date.now() < killDeadline) await sleep(50);
  const left = procs.filter(isAlive);
  if (left.length) throw new Error(`lab processes survived SIGKILL: ${left.map((p) => p.pid).join(", ")}`);
}

/** PIDs of `root` and all its descendants (for memory accounting). */
export function descendants(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name is in parentheses and may contain spaces; the parent PID is the 2nd field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...roots];
  while (queue.length) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Memory of a process in KiB, 0 if it is gone: its proportional set size, so the dockerd, containerd and sshd
 * binaries every host maps are counted once overall rather than once per host.
 */
export function memoryKiB(pid: number): number {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Lab processes that no state file lists (it was deleted, or written by an incompatible version): found by
 * their exact command line, which names a file inside the lab directory, so nothing else can match.
 */
export function orphans(dir: string): LabProcess[] {
  const found: LabProcess[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const line = cmdline(Number(entry));
    if (line === null) continue;
    const boot = /^\/usr\/bin\/tini -g -- \/bin\/sh (\S+\/nodes\/[^/ ]+\/boot\.sh)$/.exec(line)?.[1];
    const registry = /^docker-registry serve (\S+\/nodes\/registry\/config\.yml)$/.exec(line)?.[1];
    const marker = boot ?? registry;
    if (marker?.startsWith(`${dir}/nodes/`)) found.push({ pid: Number(entry), marker, graceful: true });
  }
  return found;
}
