import type { HostPhase } from "./host-phases.ts";

/**
 * What the human reporter tells the heartbeat or the live view besides its text: the step it is in, each host's
 * phase, and that the run is over.
 */
export interface Progress {
  step(title: string): void;
  phase(host: string, phase: HostPhase): void;
  /** The run is over: stop timers and take back anything drawn in place. */
  stop(): void;
}

/** Runs `run` once after `ms`; returns a cancel. Injected so tests drive time themselves. */
export type Schedule = (ms: number, run: () => void) => () => void;

/** A real timer that never keeps the process alive on its own: a run ends when its work does. */
export const unrefTimer: Schedule = (ms, run) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** Milliseconds on a monotonic clock. process.hrtime rather than performance.now(), which loads perf_hooks. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
