// Runs a piece of work (a sextant command) under the traffic mix and prints the per-kind table. This is the hook
// for any test that judges a command by the traffic it lets through: the traffic test uses it for deploy,
// rollback and maintenance, and a canary test can run its commands through it and read the versions by kind.
import { startTrafficMix, type MixOptions } from "./mix.ts";
import { now, type Kind, type TrafficRecord } from "./record.ts";
import { formatTally, tally, type KindTally } from "./tally.ts";
import type { Endpoint } from "./endpoint.ts";

/** Traffic runs this long before the work starts and after it ends, so every kind is in flight at the switch. */
const SETTLE_MS = 1500;

export type UnderMix<T> = {
  readonly result: T;
  readonly records: readonly TrafficRecord[];
  readonly tallies: ReadonlyMap<Kind, KindTally>;
  /** when the work started and ended (ms since the epoch, like the records' times) */
  readonly workStartedAt: number;
  readonly workEndedAt: number;
};

export async function underTrafficMix<T>(
  title: string, endpoints: readonly Endpoint[], options: MixOptions, work: () => Promise<T>,
): Promise<UnderMix<T>> {
  const mix = startTrafficMix(endpoints, options);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const workStartedAt = now();
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await mix.stop();
    throw err;
  }
  const workEndedAt = now();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const records = await mix.stop();
  const tallies = tally(records);
  console.log(formatTally(`${title} (${((workEndedAt - workStartedAt) / 1000).toFixed(1)} s)`, tallies));
  return { result, records, tallies, workStartedAt, workEndedAt };
}
