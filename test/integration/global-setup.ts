// Starts the host lab once for the whole integration project and removes it afterwards. A lab started by
// hand (`npm run lab:up`) with the hosts the tests need is reused and left running, which keeps the edit-test
// loop fast; one of another size (the demo's 2 hosts) is replaced. Another test run using the lab is waited
// for: the lab lock lets one run at a time use it.
import { hostCount, labDir } from "./lab/settings.ts";
import { acquireLabLock, labSkipped, labStatus, resetHosts, startLab, stopLab } from "./lab/lab.ts";
import { chooseLab } from "./lab/reuse.ts";

const WAIT_FOR_OTHER_RUN_MS = 20 * 60_000;

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (labSkipped()) {
    console.warn("integration lab: skipped (SEXTANT_SKIP_LAB=1); every lab test reports as skipped");
    return undefined;
  }
  const release = await acquireLabLock(labDir(), WAIT_FOR_OTHER_RUN_MS, (pid) =>
    console.warn(`integration lab: waiting for process ${pid}, which is using the lab`),
  );
  try {
    const status = labStatus();
    const choice = chooseLab(status, hostCount());
    if (choice.action === "reuse" && status.lab) {
      // A demo or a hand-run check may have left containers and files on the hosts.
      await resetHosts(status.lab);
      console.warn(`integration lab: reusing the running lab (${status.lab.hosts.length} hosts, reset)`);
      return async () => release();
    }
    if (choice.action === "replace") console.warn(`integration lab: ${choice.reason}; starting a new one (removed after the run)`);
    const t0 = Date.now();
    await startLab({ log: (line) => console.warn(`integration lab: ${line}`) });
    console.warn(`integration lab: up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  } catch (err) {
    release();
    throw err;
  }
  return async () => {
    try {
      await stopLab();
    } finally {
      release();
    }
  };
}
