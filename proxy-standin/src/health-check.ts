// Health probes (internal/server/health_check.go): GET over plain HTTP with User-Agent kamal-proxy and the
// target address as Host; any 2xx passes, redirects are followed (up to 10, like Go's client), and the whole
// exchange must finish within the timeout. The first probe goes out at once; a slow probe skips ticks.
import http from "node:http";
import { toMs } from "./duration.ts";
import type { HealthCheckConfig } from "./options.ts";

const MAX_REDIRECTS = 10;

/** Resolves to undefined when healthy, or to the reason it is not (as kamal-proxy logs it). */
export function probe(url: URL, host: string, timeoutNs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let current: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      current?.destroy();
      resolve("request timed out");
    }, toMs(timeoutNs));
    const finish = (reason: string | undefined) => {
      clearTimeout(timer);
      resolve(reason);
    };
    const get = (target: URL, hostHeader: string, redirects: number) => {
      current = http.get(target, { agent: false, headers: { "User-Agent": "kamal-proxy", Host: hostHeader } }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location !== undefined && redirects < MAX_REDIRECTS) {
          const next = new URL(location, target);
          get(next, next.host, redirects + 1);
        } else if (status >= 200 && status < 300) res.on("end", () => finish(undefined)).on("error", () => finish(undefined));
        else finish(`unexpected status (${status})`);
      });
      current.on("error", (err) => finish(err.message));
    };
    try {
      get(url, host, 0);
    } catch (err) {
      finish((err as Error).message); // e.g. a port number out of range
    }
  });
}

/** Probes one target repeatedly until stopped. */
export class HealthCheck {
  #stopped = false;
  #wake: (() => void) | undefined;

  readonly #url: URL;
  readonly #host: string;
  readonly #config: HealthCheckConfig;
  readonly #report: (reason: string | undefined) => void;

  constructor(url: URL, host: string, config: HealthCheckConfig, report: (reason: string | undefined) => void) {
    this.#url = url;
    this.#host = host;
    this.#config = config;
    this.#report = report;
    void this.#loop();
  }

  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    const interval = Math.max(toMs(this.#config.interval), 1);
    while (!this.#stopped) {
      const started = Date.now();
      const reason = await probe(this.#url, this.#host, this.#config.timeout);
      if (this.#stopped) return;
      this.#report(reason);
      const wait = interval - ((Date.now() - started) % interval);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

export function healthCheckUrl(address: string, config: HealthCheckConfig): URL {
  const [host = "", port = "80"] = address.split(":");
  const base = `http://${host}:${config.port > 0 ? config.port : port}`;
  return new URL(config.path.startsWith("/") ? config.path : `/${config.path}`, base);
}
