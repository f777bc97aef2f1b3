import { LOCAL } from "./reporter.ts";
import type { Sink } from "./human.ts";
import { HOST_PHASES, PhaseBoard, formatElapsed, type HostPhase, type HostState } from "./host-phases.ts";
import { monotonicMs, unrefTimer, type Progress, type Schedule } from "./progress.ts";

/** The longest a log may stay silent once a step began. */
export const HEARTBEAT_MS = 30_000;

/** How a heartbeat names what hosts in a busy phase are doing. */
const DOING: Partial<Record<HostPhase, string>> = {
  pull: "pulling the image",
  boot: "booting",
  health: "waiting for health",
  stop: "stopping the old container",
};

/**
 * CI and other logs nobody watches live: after HEARTBEAT_MS without a line, says what is still going on, so a
 * long build or health wait does not look hung (and CI's no-output timeouts do not kill it). Silent until the
 * first step, so commands that only print a result or follow logs never get one.
 */
export class Heartbeat implements Progress {
  readonly #out: Sink;
  readonly #now: () => number;
  readonly #schedule: Schedule;
  readonly #board = new PhaseBoard();
  #lastWrite: number;
  #cancel: (() => void) | undefined;
  #stopped = false;

  /** Narration goes through here, so the heartbeat knows when the log last moved. */
  readonly sink: Sink = {
    write: (text: string) => {
      this.#lastWrite = this.#now();
      return this.#out.write(text);
    },
  };

  constructor(out: Sink, opts: { now?: () => number; schedule?: Schedule } = {}) {
    this.#out = out;
    this.#now = opts.now ?? monotonicMs;
    this.#schedule = opts.schedule ?? unrefTimer;
    this.#lastWrite = this.#now();
  }

  step(title: string): void {
    this.#board.step(title, this.#now());
    this.#arm();
  }

  phase(host: string, phase: HostPhase): void {
    this.#board.phase(host, phase, this.#now());
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #arm(): void {
    if (this.#cancel !== undefined || this.#stopped) return;
    this.#cancel = this.#schedule(Math.max(0, this.#lastWrite + HEARTBEAT_MS - this.#now()), () => this.#beat());
  }

  #beat(): void {
    this.#cancel = undefined;
    const now = this.#now();
    if (now - this.#lastWrite >= HEARTBEAT_MS) this.sink.write(`${heartbeatLine(this.#board.hosts, this.#board.currentStep, now)}\n`);
    this.#arm();
  }
}

/**
 * `still building (1m20s)`, `waiting for health on 3 of 4 hosts (40s)`, or the step still under way. Times are
 * since the phase (or step) began, counted from the first host that entered it.
 */
export function heartbeatLine(
  hosts: readonly HostState[], step: { readonly title: string; readonly since: number } | undefined, now: number,
): string {
  const build = hosts.find((h) => h.host === LOCAL && h.phase === "build");
  if (build) return `still building (${formatElapsed(now - build.since)})`;
  const remote = hosts.filter((h) => h.host !== LOCAL);
  const busy = HOST_PHASES.flatMap((phase) => {
    const doing = DOING[phase];
    const on = remote.filter((h) => h.phase === phase);
    const first = on[0];
    if (doing === undefined || first === undefined) return [];
    const where = on.length === 1 ? first.host : `${on.length} of ${remote.length} hosts`;
    const since = Math.min(...on.map((h) => h.since));
    return [`${doing} on ${where} (${formatElapsed(now - since)})`];
  });
  if (busy.length > 0) return busy.join("; ");
  if (step === undefined) return "still running";
  return `still running: ${step.title.replace(/\.+$/, "")} (${formatElapsed(now - step.since)})`;
}
