// One upstream address (internal/server/target.go). It knows its health, keeps a keep-alive pool, and
// tracks the requests in flight on it so a drain can wait for them, or cancel them when time runs out.
import http from "node:http";
import { toMs } from "./duration.ts";

export type TargetState = "adding" | "healthy" | "unhealthy" | "draining";

/** A request being served by a target; `cancel` cuts it short (the forwarder answers 504 if it still can). */
type Inflight = { hijacked: boolean; readonly cancel: () => void };

/** A registered request: `release` when it is over; `hijack` once it has become an upgraded connection. */
export type Claim = { readonly release: () => void; readonly hijack: () => void };

// Mirrors kamal-proxy's check in target.go: a host of at least two word characters, an optional port,
// and nothing else (no scheme, no path, no IPv6 literal).
const ADDRESS = /^(\w[-_.\w+]+)(:\d+)?$/;

export class InvalidTargetError extends Error {}

export function parseAddress(text: string): { host: string; port: number; address: string } {
  const match = ADDRESS.exec(text);
  if (match === null) throw new InvalidTargetError(`${text} :invalid host pattern`);
  const host = match[1] ?? "";
  const port = match[2] === undefined ? 80 : Number(match[2].slice(1));
  return { host, port, address: `${host}:${port}` };
}

export class Target {
  readonly host: string;
  readonly port: number;
  readonly address: string;
  /** the address as deployed, port or not: Go's Target.Address(), which the health check URL is built from */
  readonly given: string;
  state: TargetState = "adding";
  readonly agent = new http.Agent({ keepAlive: true, maxFreeSockets: 100 });
  readonly #inflight = new Set<Inflight>();
  #idle: Array<() => void> = [];

  constructor(text: string) {
    ({ host: this.host, port: this.port, address: this.address } = parseAddress(text));
    this.given = text;
  }

  get isHealthy(): boolean {
    return this.state === "healthy";
  }

  /** Registers a request; returns undefined if the target is draining and must not take new work. */
  begin(cancel: () => void): Claim | undefined {
    if (this.state === "draining") return undefined;
    const entry: Inflight = { hijacked: false, cancel };
    this.#inflight.add(entry);
    return {
      release: () => {
        this.#inflight.delete(entry);
        if (this.#inflight.size === 0) for (const wake of this.#idle.splice(0)) wake();
      },
      // Like targetResponseWriter.Hijack in target.go: only a connection already upgraded counts as hijacked.
      hijack: () => void (entry.hijacked = true),
    };
  }

  /**
   * Waits for in-flight requests, cutting hijacked connections at once and the rest at the timeout (Target.Drain):
   * a connection that upgrades after the drain began is cut at the timeout too.
   */
  async drain(timeoutNs: number, markDraining: boolean): Promise<void> {
    if (markDraining) this.state = "draining";
    for (const entry of this.#inflight) if (entry.hijacked) entry.cancel();
    if (this.#inflight.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, toMs(timeoutNs));
        this.#idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    for (const entry of [...this.#inflight]) entry.cancel();
  }

  dispose(): void {
    this.agent.destroy();
  }
}
