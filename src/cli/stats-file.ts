import { writeFileSync } from "node:fs";
import type { HostStats } from "../exec/ssh.ts";

/**
 * `SEXTANT_STATS_FILE=path`: after a command, write its SSH connections and exec sessions per host there as JSON
 * (`{"10.0.0.1": {"connects": 1, "execs": 7}}`). The bench and the lab tests read it to count round trips.
 */
export function writeStatsFile(path: string | undefined, stats: ReadonlyMap<string, HostStats>): void {
  if (!path) return;
  writeFileSync(path, `${JSON.stringify(Object.fromEntries(stats))}\n`);
}
