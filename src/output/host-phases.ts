/**
 * What a host is doing during a deploy, as flows report it (`Reporter.phase`). `pulled` is a host waiting for
 * the rest of the deploy (the lock, the boot group) with the image in place; `build` happens on this machine.
 * kamal-proxy health-checks and switches traffic in one command, so waiting for health includes the switch.
 */
export const HOST_PHASES = ["build", "pull", "pulled", "boot", "health", "stop", "done", "failed"] as const;
export type HostPhase = (typeof HOST_PHASES)[number];

/** Phases where a host is busy; the others are waiting or finished. */
export const isActive = (phase: HostPhase): boolean => !["pulled", "done", "failed"].includes(phase);

export type HostState = {
  readonly host: string;
  readonly phase: HostPhase;
  /** when the host entered this phase, in milliseconds on the board's clock */
  readonly since: number;
};

/** Every host's latest phase, in the order hosts first reported one, and the step the run is in. */
export class PhaseBoard {
  readonly #hosts = new Map<string, HostState>();
  #step: { readonly title: string; readonly since: number } | undefined;

  /** A repeated phase keeps its start time, so a second role booting on a host does not reset the clock. */
  phase(host: string, phase: HostPhase, at: number): void {
    if (this.#hosts.get(host)?.phase === phase) return;
    this.#hosts.set(host, { host, phase, since: at });
  }

  step(title: string, at: number): void {
    this.#step = { title, since: at };
  }

  get hosts(): readonly HostState[] {
    return [...this.#hosts.values()];
  }

  get currentStep(): { readonly title: string; readonly since: number } | undefined {
    return this.#step;
  }
}

/** `40s`, `1m20s`, `1h2m5s`: whole seconds, as a log reader counts them. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  if (h > 0) return `${h}h${m}m${s}s`;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}
