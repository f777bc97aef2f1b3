// sextant's own addition to Kamal's deploy lock: a `heartbeat` file next to `details` that names the process holding
// the lock and whose mtime the holder refreshes while it runs. Kamal never reads it, and its `lock release`
// (`rm details && rm -r <lock dir>`, kamal lib/kamal/commands/lock.rb) removes it with the directory. Every command
// here is sextant's alone; Kamal's acquire, release and status stay byte-identical (see docs/decisions.md).
import type { Config } from "../config/model.ts";
import { lockDirectory } from "./lock.ts";
import { singleQuote } from "./sh.ts";
import { and, cmd, type Shell } from "./shell.ts";

const heartbeatFile = (config: Config): string => `${lockDirectory(config)}/heartbeat`;

/** The process holding the lock: this machine's name, its process id, and when it took the lock (UTC, seconds). */
export type Holder = { readonly machine: string; readonly pid: number; readonly started: string };

/** The heartbeat file's one line, e.g. `sextant machine=ci-7 pid=4242 started=2026-03-04T05:06:07Z`. */
export const holderLine = (h: Holder): string => `sextant machine=${h.machine} pid=${h.pid} started=${h.started}`;

export function parseHolderLine(line: string): Holder | undefined {
  const match = /^sextant machine=(\S+) pid=(\d+) started=(\S+)$/.exec(line.trim());
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  return { machine: match[1], pid: Number(match[2]), started: match[3] };
}

/**
 * Written right after the lock was taken. `>` without `-p` anywhere: when the lock directory is gone the command
 * fails instead of creating a lock nobody holds.
 */
export const mark = (config: Config, holder: Holder): Shell =>
  cmd("echo", singleQuote(holderLine(holder)), ">", heartbeatFile(config));

/**
 * Refreshes the heartbeat's mtime (the host's clock), but only while the file still names this holder: after the
 * lock was released, or released and taken by someone else (Kamal writes no heartbeat), it fails and touches nothing.
 */
export const beat = (config: Config, holder: Holder): Shell =>
  and(cmd("grep", "-qxF", singleQuote(holderLine(holder)), heartbeatFile(config)), cmd("touch", heartbeatFile(config)));

/**
 * Prints the host's clock, the heartbeat's mtime (both epoch seconds, read together so the deploying machine's clock
 * never enters the comparison) and the holder line. Without a heartbeat file only the clock line is printed.
 */
export const read = (config: Config): Shell =>
  and(cmd("date", "+%s"), cmd("stat", "-c", "%Y", heartbeatFile(config)), cmd("cat", heartbeatFile(config)));

/**
 * Removes a lock whose holder stopped beating, only if it still names that holder: when another process took the
 * lock over meanwhile, the file names that process (or is absent, for Kamal) and nothing is removed.
 */
export const takeOver = (config: Config, stale: Holder): Shell =>
  and(cmd("grep", "-qxF", singleQuote(holderLine(stale)), heartbeatFile(config)), cmd("rm", "-r", lockDirectory(config)));
