// Lab start time and memory: rows for `npm run bench` (`labRows`), `benchLab` for any caller, or standalone:
// `tsx scripts/bench-lab.ts [3 8 …]`. It replaces any running lab (there is one per machine: the bridge and
// namespace names are fixed) and leaves none behind. Images come from the lab's cache after the first run,
// so the figure is the lab itself.
import { pathToFileURL } from "node:url";
import type { BenchRow } from "./bench.ts";
import { deployRows } from "./bench-deploy.ts";
import { preflight } from "../test/integration/lab/preflight.ts";
import { descendants, memoryKiB } from "../test/integration/lab/processes.ts";
import { labDir } from "../test/integration/lab/settings.ts";
import { readState } from "../test/integration/lab/state.ts";
import { acquireLabLock, labSkipped, startLab, stopLab } from "../test/integration/lab/lab.ts";
import { sshRows } from "./bench-ssh.ts";

export async function benchLab(hosts: number): Promise<{ startSeconds: number; memoryMiB: number }> {
  const dir = labDir();
  const release = await acquireLabLock(dir, 10 * 60_000);
  try {
    await stopLab(dir);
    const t0 = performance.now();
    await startLab({ dir, hosts });
    const startSeconds = (performance.now() - t0) / 1000;
    const roots = readState(dir)?.resources.processes.map((p) => p.pid) ?? [];
    const kib = descendants(roots).reduce((sum, pid) => sum + memoryKiB(pid), 0);
    return { startSeconds, memoryMiB: kib / 1024 };
  } finally {
    await stopLab(dir);
    release();
  }
}

/**
 * `npm run bench` rows: lab start for 3 and 8 hosts (memory goes to stderr), then the SSH rows of bench-ssh.ts;
 * none when the lab can't run here.
 */
export async function labRows(): Promise<BenchRow[]> {
  if (labSkipped()) return [];
  try {
    preflight();
  } catch {
    return [];
  }
  const starts = [3, 8].map((hosts) => ({
    name: `lab start, ${hosts} hosts (images cached)`,
    runs: 3,
    measure: async () => {
      const { startSeconds, memoryMiB } = await benchLab(hosts);
      console.error(`lab, ${hosts} hosts: started in ${startSeconds.toFixed(1)} s, ${memoryMiB.toFixed(0)} MiB (PSS)`);
      return startSeconds * 1000;
    },
  }));
  return [...starts, ...(await sshRows()), ...(await deployRows())];
}

async function main(counts: number[]): Promise<void> {
  console.log("hosts  start (s)  memory (MiB, PSS of every lab process)");
  for (const n of counts) {
    const { startSeconds, memoryMiB } = await benchLab(n);
    console.log(`${String(n).padStart(5)}  ${startSeconds.toFixed(1).padStart(9)}  ${memoryMiB.toFixed(0).padStart(6)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const counts = process.argv.slice(2).map(Number);
  main(counts.length ? counts : [3, 8]).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
