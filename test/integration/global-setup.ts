// Starts the host lab once for the whole integration project and removes it afterwards. A lab started by
// hand (`npm run lab:up`) is reused and left running, which keeps the edit-test loop fast. Another test run
// using the lab is waited for: the lab lock lets one run at a time use it.
import { hostCount, labDir } from "./lab/settings.ts";
import { acquireLabLock, labSkipped, labStatus, startLab, stopLab } from "./lab/lab.ts";

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
    const wanted = process.env.SEXTANT_LAB_HOSTS ? hostCount() : undefined;
    if (status.running && status.keep && (wanted === undefined || status.lab?.hosts.length === wanted)) {
      console.warn(`integration lab: reusing the lab started by \`npm run lab:up\` (${status.lab?.hosts.length} hosts)`);
      return async () => release();
    }
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
