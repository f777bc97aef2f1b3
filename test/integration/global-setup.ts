// Starts the host lab once for the whole integration project and removes it afterwards. A lab started by
// hand (`npm run lab:up`) is reused and left running, which keeps the edit-test loop fast.
import { hostCount } from "./lab/settings.ts";
import { labSkipped, labStatus, startLab, stopLab } from "./lab/lab.ts";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (labSkipped()) {
    console.warn("integration lab: skipped (SEXTANT_SKIP_LAB=1); every lab test reports as skipped");
    return undefined;
  }
  const status = labStatus();
  const wanted = process.env.SEXTANT_LAB_HOSTS ? hostCount() : undefined;
  if (status.running && status.keep && (wanted === undefined || status.lab?.hosts.length === wanted)) {
    console.warn(`integration lab: reusing the lab started by \`npm run lab:up\` (${status.lab?.hosts.length} hosts)`);
    return undefined;
  }
  const t0 = Date.now();
  await startLab({ log: (line) => console.warn(`integration lab: ${line}`) });
  console.warn(`integration lab: up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return () => stopLab();
}
