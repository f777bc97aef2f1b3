import type { Sink } from "./human.ts";
import { HOST_PHASES, PhaseBoard, formatElapsed, isActive, type HostPhase, type HostState } from "./host-phases.ts";
import { monotonicMs, unrefTimer, type Progress, type Schedule } from "./progress.ts";

/** More hosts than this are shown as one line per phase, so the view always fits on a screen. */
export const MAX_HOST_ROWS = 8;

const PHASE_WIDTH = Math.max(...HOST_PHASES.map((p) => p.length));

/**
 * The lines of the live view: one per host (`[web-1]  health  12s`; the time is spent in the phase, shown for busy
 * phases), or with many hosts one per phase (`health  7 hosts  40s`). Lines are cut to `width` so that each takes
 * exactly one terminal row, which redrawing in place counts on (a terminal that says it has 0 columns has no say).
 */
export function renderLiveView(hosts: readonly HostState[], now: number, width?: number): string[] {
  const elapsed = (phase: HostPhase, since: number) => (isActive(phase) ? formatElapsed(now - since) : "");
  let lines: string[];
  if (hosts.length <= MAX_HOST_ROWS) {
    const hostWidth = Math.max(...hosts.map((h) => h.host.length)) + 2;
    lines = hosts.map((h) => `[${h.host}]`.padEnd(hostWidth) + `  ${h.phase.padEnd(PHASE_WIDTH)}  ${elapsed(h.phase, h.since)}`);
  } else {
    lines = HOST_PHASES.flatMap((phase) => {
      const on = hosts.filter((h) => h.phase === phase);
      if (on.length === 0) return [];
      const count = `${on.length} host${on.length === 1 ? "" : "s"}`;
      return [`${phase.padEnd(PHASE_WIDTH)}  ${count}  ${elapsed(phase, Math.min(...on.map((h) => h.since)))}`];
    });
  }
  return lines.map((l) => l.trimEnd()).map((l) => (width && l.length >= width ? l.slice(0, width - 1) : l));
}

/**
 * A terminal's view of a deploy: what each host is doing, redrawn in place below the narration. Every write of
 * narration takes the view away, writes, and draws it again, all in one write; the view leaves the screen when the
 * run ends. Used only when stderr is a terminal (create.ts); logs get plain lines and a heartbeat instead.
 */
export class LiveView implements Progress {
  readonly #out: Sink;
  readonly #now: () => number;
  readonly #schedule: Schedule;
  readonly #width: () => number | undefined;
  readonly #board = new PhaseBoard();
  /** rows of the view on screen now, right above the cursor */
  #drawn = 0;
  #cancel: (() => void) | undefined;
  #stopped = false;

  /** Narration written through here stays above the view. */
  readonly sink: Sink = { write: (text: string) => this.#out.write(`${this.#erase()}${text}${this.#frame()}`) };

  constructor(out: Sink, opts: { now?: () => number; schedule?: Schedule; width?: () => number | undefined } = {}) {
    this.#out = out;
    this.#now = opts.now ?? monotonicMs;
    this.#schedule = opts.schedule ?? unrefTimer;
    this.#width = opts.width ?? (() => undefined);
  }

  /** Another stream on the same terminal (stdout): its text goes above the view too. */
  wrap(other: Sink): Sink {
    return {
      write: (text: string) => {
        this.#put(this.#erase());
        const written = other.write(text);
        this.#put(this.#frame());
        return written;
      },
    };
  }

  step(title: string): void {
    this.#board.step(title, this.#now());
  }

  phase(host: string, phase: HostPhase): void {
    if (this.#stopped) return;
    this.#board.phase(host, phase, this.#now());
    this.#redraw();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#put(this.#erase());
  }

  /** Redraws now, and each second while a host is busy, so the times move. */
  #redraw(): void {
    this.#put(`${this.#erase()}${this.#frame()}`);
    if (this.#cancel !== undefined || !this.#board.hosts.some((h) => isActive(h.phase))) return;
    this.#cancel = this.#schedule(1000, () => {
      this.#cancel = undefined;
      if (!this.#stopped) this.#redraw();
    });
  }

  #put(text: string): void {
    if (text) this.#out.write(text);
  }

  #erase(): string {
    const rows = this.#drawn;
    this.#drawn = 0;
    // Up to the view's first row, back to its first column, then clear everything below.
    return rows > 0 ? `\x1b[${rows}A\r\x1b[J` : "";
  }

  #frame(): string {
    if (this.#stopped) return "";
    const lines = renderLiveView(this.#board.hosts, this.#now(), this.#width());
    this.#drawn = lines.length;
    return lines.map((l) => `${l}\n`).join("");
  }
}
