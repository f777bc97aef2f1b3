import type { LabStatus } from "./lab.ts";

export type LabChoice =
  | { readonly action: "reuse" }
  | { readonly action: "start" }
  | { readonly action: "replace"; readonly reason: string };

/**
 * Whether a test run can use the lab that is already up. Only a lab kept by `npm run lab:up` or `npm run demo`
 * is reused, and only when it has exactly the hosts the tests address: a 2-host demo lab would fail every test
 * that deploys to host-3, and a larger one would add hosts a test expects to be alone on; one with latency relays
 * would hold the addresses the latency test relays from. Anything else is
 * replaced by a lab of the right size, which the run then removes.
 */
export function chooseLab(status: Pick<LabStatus, "running" | "keep" | "lab">, wantedHosts: number): LabChoice {
  if (!status.running || !status.keep) return { action: "start" };
  // the latency test puts its own relays where a lab's would be
  if (status.lab?.latency) return { action: "replace", reason: `the running lab relays its hosts with a ${status.lab.latency.rttMs} ms round trip` };
  const have = status.lab?.hosts.length ?? 0;
  if (have === wantedHosts) return { action: "reuse" };
  return { action: "replace", reason: `the running lab has ${have} hosts and the tests need ${wantedHosts}` };
}
