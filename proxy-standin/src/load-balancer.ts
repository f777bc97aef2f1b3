// The set of targets serving a service at one moment (internal/server/load_balancer.go). Writers are picked
// round-robin among healthy targets; reads (GET/HEAD that are not upgrades) prefer healthy readers.
// A load balancer with a single writer and no readers stops probing once that writer is healthy: a dead app
// then answers 502 rather than 503, as with the real proxy.
import { formatDuration, toMs } from "./duration.ts";
import { HealthCheck, healthCheckUrl } from "./health-check.ts";
import type { Logger } from "./log.ts";
import type { TargetOptions } from "./options.ts";
import { Target } from "./target.ts";

export class LoadBalancer {
  readonly writers: Target[];
  readonly readers: Target[];
  readonly #checks = new Map<Target, HealthCheck>();
  readonly #changed = new Set<() => void>();
  #nextWriter = 0;
  #nextReader = 0;

  readonly #options: TargetOptions;
  readonly #log: Logger;

  constructor(writers: readonly string[], readers: readonly string[], options: TargetOptions, log: Logger) {
    this.#options = options;
    this.#log = log;
    this.writers = writers.map((address) => new Target(address));
    this.readers = readers.map((address) => new Target(address));
  }

  get all(): Target[] {
    return [...this.writers, ...this.readers];
  }

  get #checksForever(): boolean {
    return this.writers.length + this.readers.length > 1;
  }

  startHealthChecks(): void {
    for (const target of this.all) {
      if (target.isHealthy && !this.#checksForever) continue;
      const config = this.#options.health_check_config;
      const url = healthCheckUrl(target.given, config);
      // Without --health-check-host Go sends the checked URL's host, --health-check-port included.
      const host = config.host || url.slice("http://".length, url.indexOf("/", "http://".length));
      const check = new HealthCheck(url, host, config, (reason) => this.#record(target, reason));
      this.#checks.set(target, check);
    }
  }

  /** Restored targets are trusted without a probe, so traffic flows the moment the proxy is back. */
  trustAll(): void {
    for (const target of this.all) target.state = "healthy";
  }

  /** Resolves to an error message if not every target has passed a probe within the timeout. */
  async waitUntilHealthy(timeoutNs: number): Promise<string | undefined> {
    const allHealthy = () => this.all.every((target) => target.isHealthy);
    if (allHealthy()) return undefined;
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#changed.delete(check);
        resolve(false);
      }, toMs(timeoutNs));
      const check = () => {
        if (!allHealthy()) return;
        clearTimeout(timer);
        this.#changed.delete(check);
        resolve(true);
      };
      this.#changed.add(check);
    });
    return ok ? undefined : `target failed to become healthy within configured timeout (${formatDuration(timeoutNs)})`;
  }

  pick(isRead: boolean): Target | undefined {
    if (isRead) {
      const reader = this.#roundRobin(this.readers, this.#nextReader++);
      if (reader !== undefined) return reader;
    }
    return this.#roundRobin(this.writers, this.#nextWriter++);
  }

  stopHealthChecks(): void {
    for (const check of this.#checks.values()) check.stop();
    this.#checks.clear();
  }

  /** Drains every target; `replaced` marks them draining and frees their connections afterwards. */
  async drain(timeoutNs: number, replaced: boolean): Promise<void> {
    await Promise.all(this.all.map((target) => target.drain(timeoutNs, replaced)));
    if (replaced) for (const target of this.all) target.dispose();
  }

  #roundRobin(targets: readonly Target[], turn: number): Target | undefined {
    const healthy = targets.filter((target) => target.isHealthy);
    return healthy[turn % Math.max(healthy.length, 1)];
  }

  #record(target: Target, reason: string | undefined): void {
    if (target.state === "draining") return;
    const was = target.state;
    if (reason === undefined) target.state = "healthy";
    else {
      this.#log("INFO", "Healthcheck failed", { url: healthCheckUrl(target.given, this.#options.health_check_config), error: reason });
      if (was === "healthy") target.state = "unhealthy";
    }
    if (target.state !== was) this.#log("INFO", "Target health updated", { target: target.address, state: target.state, was });
    if (target.isHealthy && !this.#checksForever) {
      this.#checks.get(target)?.stop();
      this.#checks.delete(target);
    }
    for (const notify of [...this.#changed]) notify();
  }
}
