// Maintenance state of one service (internal/server/pause_controller.go). It belongs to the service, not to
// its targets, so it survives deploys and restarts. Paused requests are held until resume, stop, or their
// own max-pause runs out.
import { toMs } from "./duration.ts";

export type PauseState = "running" | "paused" | "stopped";
export const PAUSE_STATE_CODES: Readonly<Record<PauseState, number>> = { running: 0, paused: 1, stopped: 2 };

export type GateResult = "go" | "stopped" | "timeout";

export class PauseController {
  state: PauseState = "running";
  stopMessage = "";
  failAfter = 0; // ns, the max-pause of the latest pause
  readonly #waiters = new Set<() => void>();

  pause(failAfterNs: number): void {
    this.state = "paused";
    this.failAfter = failAfterNs;
  }

  stop(message: string): void {
    this.state = "stopped";
    this.stopMessage = message;
    this.#wakeAll();
  }

  resume(): void {
    this.state = "running";
    this.stopMessage = "";
    this.#wakeAll();
  }

  /** Decides whether a newly arrived request may go on, holding it while the service is paused. */
  async gate(): Promise<GateResult> {
    if (this.state !== "paused") return this.state === "running" ? "go" : "stopped";
    const deadline = Date.now() + toMs(this.failAfter);
    while (this.state === "paused") {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return "timeout";
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, remaining);
        const waiters = this.#waiters;
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
    return this.state === "running" ? "go" : "stopped";
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
