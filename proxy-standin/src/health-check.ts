// Health probes (internal/server/health_check.go): GET over plain HTTP with User-Agent kamal-proxy and the
// target address as Host; any 2xx passes, redirects are followed (up to 10, like Go's client), and the whole
// exchange must finish within the timeout. The first probe goes out at once; a slow probe skips ticks. A failure
// is worded as Go's client words it (go-errors.ts), since kamal-proxy logs it and sextant reads that log.
import http from "node:http";
import https from "node:https";
import { toMs } from "./duration.ts";
import { checkedUrl, requestError } from "./go-errors.ts";
import { MAX_RESPONSE_HEADER_BYTES } from "./header-limits.ts";
import type { HealthCheckConfig } from "./options.ts";

// Go's http.DefaultClient (client.go): it follows only these statuses, and its default CheckRedirect refuses
// the redirect that would make an 11th request.
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REQUESTS = 10;

/** Resolves to undefined when healthy, or to the reason it is not (as kamal-proxy logs it). */
export function probe(url: string, host: string, timeoutNs: number): Promise<string | undefined> {
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
    const get = (target: string, hostHeader: string, referer: string | undefined, sent: number) => {
      const socket: { local?: string; remote?: string } = {};
      const client = target.startsWith("https:") ? https : http;
      const headers = { "User-Agent": "kamal-proxy", Host: hostHeader, ...(referer === undefined ? {} : { Referer: referer }) };
      current = client.get(target, { agent: false, headers, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location !== undefined && location !== "") {
          const next = new URL(location, target);
          // Go names the Location as written, not the URL it resolves to.
          if (sent >= MAX_REQUESTS) return finish(`Get ${JSON.stringify(location)}: stopped after ${MAX_REQUESTS} redirects`);
          // A relative redirect keeps a Host that differs from the URL's (client.go, Go issue 22233).
          const keepHost = !ABSOLUTE.test(location) && hostHeader !== new URL(target).host;
          // No Referer from https to http (client.go refererForURL).
          const nextReferer = target.startsWith("https:") && next.protocol === "http:" ? undefined : withoutUserinfo(target);
          get(next.href, keepHost ? hostHeader : next.host, nextReferer, sent + 1);
        } else if (status >= 200 && status < 300) res.on("end", () => finish(undefined)).on("error", () => finish(undefined));
        else finish(`unexpected status (${status})`);
      });
      current.on("socket", (s) => s.on("connect", () => {
        socket.local = `${s.localAddress}:${s.localPort}`;
        socket.remote = `${s.remoteAddress}:${s.remotePort}`;
      }));
      current.on("error", (err) => finish(requestError(target, err, socket)));
    };
    try {
      get(url, host, undefined, 1);
    } catch (err) {
      finish((err as Error).message); // e.g. a port number out of range
    }
  });
}

const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function withoutUserinfo(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

/** Probes one target repeatedly until stopped. */
export class HealthCheck {
  #stopped = false;
  #wake: (() => void) | undefined;

  readonly #url: string;
  readonly #host: string;
  readonly #config: HealthCheckConfig;
  readonly #report: (reason: string | undefined) => void;

  constructor(url: string, host: string, config: HealthCheckConfig, report: (reason: string | undefined) => void) {
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

/** The URL checked, in Go's form: logged as the `url` of "Healthcheck failed" and quoted in its errors. */
export const healthCheckUrl = (address: string, config: HealthCheckConfig): string => checkedUrl(address, config.port, config.path);
