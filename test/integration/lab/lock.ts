import fs from "node:fs";
import path from "node:path";
import { cmdline } from "./processes.ts";

// One lab per machine, and one user of it at a time: two test runs (or a test run and `lab:down`) sharing it
// would tear down or reset hosts under each other. The lock file holds the owner's PID; an owner that died
// leaves a stale lock, which the next user takes over.

export type Release = () => void;

function lockPath(dir: string): string {
  return path.join(dir, "lock");
}

/** PID of the live process holding the lock, or null. */
export function lockOwner(dir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(lockPath(dir), "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid === process.pid) return null;
  return cmdline(pid) === null ? null : pid;
}

function tryAcquire(dir: string): Release | null {
  fs.mkdirSync(dir, { recursive: true });
  const file = lockPath(dir);
  try {
    fs.writeFileSync(file, String(process.pid), { flag: "wx" });
  } catch {
    if (lockOwner(dir) !== null) return null;
    fs.rmSync(file, { force: true }); // stale: its owner is gone
    return tryAcquire(dir);
  }
  return () => {
    if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
  };
}

/**
 * Takes the lab lock, waiting up to `waitMs` for another user to finish (0: fail at once). Throws naming the
 * holder when it stays busy.
 */
export async function acquireLabLock(dir: string, waitMs: number, onWait?: (pid: number) => void): Promise<Release> {
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    const release = tryAcquire(dir);
    if (release) return release;
    const owner = lockOwner(dir);
    if (Date.now() >= deadline)
      throw new Error(`the lab in ${dir} is in use by process ${owner} (a test run or lab script); try again when it ends`);
    if (!announced && owner !== null) {
      onWait?.(owner);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
