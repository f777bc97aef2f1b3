// The routing table and the operations the CLI asks for (internal/server/router.go). Deploy order matters:
// health wait, then the conflict check, then an atomic switch, then the drain of what was replaced; any
// failure before the switch leaves every service exactly as it was.
import { readFileSync, writeFileSync } from "node:fs";
import { loadCertificate } from "./certificate.ts";
import { loadErrorPages } from "./error-pages.ts";
import { LoadBalancer } from "./load-balancer.ts";
import type { Logger } from "./log.ts";
import {
  defaultServiceOptions, defaultTargetOptions, normalizeHosts, normalizePathPrefixes, servesRoot,
  type DeployArgs, type ServiceOptions, type TargetOptions,
} from "./options.ts";
import { rolloutSplit } from "./rollout-controller.ts";
import { Service, type Installation } from "./service.ts";
import { ServiceMap, type Match } from "./service-map.ts";
import { decodeState, encodeState, pauseStateFromCode, type SavedService } from "./state.ts";

/** An operation failure whose message the CLI prints verbatim after "Error: ". */
export class ProxyError extends Error {}

export type ListRow = { name: string; host: string; path: string; target: string; state: string; tls: boolean };

export class Router {
  readonly #services = new Map<string, Service>();
  readonly #map = new ServiceMap();

  // service_map.go updateDefaultTLSHostname: the first host of a TLS service, kept after that service is gone.
  #defaultTlsHostname = "";

  readonly #statePath: string;
  readonly #acmeCachePath: string;
  readonly #log: Logger;
  readonly #routesChanged: () => void;

  /** `routesChanged` runs after every change to the routing table, e.g. to refresh the default certificate. */
  constructor(statePath: string, acmeCachePath: string, log: Logger, routesChanged: () => void = () => {}) {
    this.#statePath = statePath;
    this.#acmeCachePath = acmeCachePath;
    this.#log = log;
    this.#routesChanged = routesChanged;
  }

  match(host: string, path: string): Match | undefined {
    return this.#map.match(host, path);
  }

  async deploy(args: DeployArgs): Promise<void> {
    const options: ServiceOptions = {
      ...args.options,
      hosts: normalizeHosts(args.options.hosts),
      path_prefixes: normalizePathPrefixes(args.options.path_prefixes),
    };
    const describe = { service: args.service, targets: args.targets, hosts: options.hosts, paths: options.path_prefixes, tls: options.tls_enabled };
    this.#log("INFO", "Deploying", describe);

    const lb = this.#loadBalancer(args.targets, args.readers, args.targetOptions);
    lb.startHealthChecks();
    let installation: Installation;
    try {
      if (!args.force) {
        const unhealthy = await lb.waitUntilHealthy(args.deployTimeout);
        if (unhealthy !== undefined) throw new ProxyError(unhealthy);
      }
      if (this.#map.conflicts(args.service, options)) {
        this.#save();
        throw new ProxyError("host settings conflict with another service");
      }
      installation = this.#installation(options, args.targetOptions);
    } catch (err) {
      lb.stopHealthChecks();
      void lb.drain(0, true);
      throw err;
    }

    const replaced = this.#install(args.service, installation, lb);
    if (replaced !== undefined) {
      replaced.stopHealthChecks();
      await replaced.drain(args.drainTimeout, true);
    }
    this.#log("INFO", "Deployed", describe);
  }

  remove(name: string): void {
    const service = this.#find(name);
    this.#services.delete(name);
    this.#rebuildMap();
    for (const lb of service.loadBalancers) lb.stopHealthChecks();
    this.#save();
  }

  /**
   * router.go SetRolloutTargets: health-checks the targets with the service's own target options, installs them in
   * the rollout slot, saves, then drains the rollout targets they replaced. The active target is never touched.
   */
  async rolloutDeploy(args: { service: string; targets: string[]; readers: string[]; deployTimeout: number; drainTimeout: number }): Promise<void> {
    const service = this.#find(args.service);
    this.#log("INFO", "Deploying for rollout", { service: args.service, targets: args.targets });
    const lb = this.#loadBalancer(args.targets, args.readers, service.targetOptions);
    lb.startHealthChecks();
    const unhealthy = await lb.waitUntilHealthy(args.deployTimeout);
    if (unhealthy !== undefined) {
      lb.stopHealthChecks();
      void lb.drain(0, true);
      throw new ProxyError(unhealthy);
    }
    const replaced = service.rollout;
    service.rollout = lb;
    this.#save();
    if (replaced !== undefined) {
      replaced.stopHealthChecks();
      await replaced.drain(args.drainTimeout, true);
    }
    this.#log("INFO", "Deployed for rollout", { service: args.service, targets: args.targets });
  }

  /** router.go SetRolloutSplit: saves even when it fails, as the real one defers its save. */
  rolloutSet(name: string, percentage: number, allowlist: string[]): void {
    try {
      const service = this.#find(name);
      if (service.rollout === undefined) throw new ProxyError("rollout target not set");
      service.rolloutSplit = rolloutSplit(percentage, allowlist);
      this.#log("INFO", "Set rollout split", { service: name, percentage, allowlist });
    } finally {
      this.#save();
    }
  }

  /** router.go StopRollout: clears the split (the rollout target stays, receiving nothing); saves even when it fails. */
  rolloutStop(name: string): void {
    try {
      this.#find(name).rolloutSplit = undefined;
      this.#log("INFO", "Stopped rollout", { service: name });
    } finally {
      this.#save();
    }
  }

  pause(name: string, drainTimeout: number, maxPause: number): Promise<void> {
    return this.#changeThenDrain(name, drainTimeout, "Service paused", (service) => service.pause.pause(maxPause));
  }

  stop(name: string, drainTimeout: number, message: string): Promise<void> {
    return this.#changeThenDrain(name, drainTimeout, "Service stopped", (service) => service.pause.stop(message));
  }

  resume(name: string): void {
    this.#find(name).pause.resume();
    this.#save();
    this.#log("INFO", "Service resumed", { service: name });
  }

  list(): ListRow[] {
    return [...this.#services.values()].map((service) => ({
      name: service.name,
      host: service.options.hosts.map((host) => host || "*").join(","),
      path: service.options.path_prefixes.join(","),
      target: service.active.all.map((target) => target.address).join(","),
      state: service.pause.state,
      tls: this.tlsSettings(service).enabled,
    }));
  }

  /** TLS belongs to the service at "/" on a host; services under a prefix inherit it from that one. */
  tlsSettings(service: Service): { enabled: boolean; redirect: boolean; root: Service | undefined } {
    const root = servesRoot(service.options) ? service : this.#map.match(service.options.hosts[0] ?? "", "/")?.service;
    if (root === undefined) return { enabled: false, redirect: true, root };
    return { enabled: root.options.tls_enabled, redirect: root.options.tls_redirect, root };
  }

  /** Loads the saved table at startup; a broken file is logged and ignored, never fatal. */
  restore(): void {
    let text: string;
    try {
      text = readFileSync(this.#statePath, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") this.#log("INFO", "No previous state to restore", { path: this.#statePath });
      else this.#log("ERROR", "Failed to restore saved state", { path: this.#statePath, error: (err as Error).message });
      return;
    }
    let restored: Service[];
    try {
      const defaults = { options: defaultServiceOptions(this.#acmeCachePath), targetOptions: defaultTargetOptions() };
      restored = decodeState(text, defaults).map((saved) => this.#rebuild(saved));
    } catch (err) {
      this.#log("ERROR", "Failed to decode saved state", { path: this.#statePath, error: (err as Error).message });
      return;
    }
    for (const service of restored) {
      this.#services.set(service.name, service);
      for (const lb of service.loadBalancers) lb.startHealthChecks();
    }
    this.#rebuildMap();
    this.#log("INFO", "Restored saved state", { path: this.#statePath });
  }

  #rebuild(saved: SavedService): Service {
    const lb = this.#loadBalancer(saved.active_targets, saved.active_readers, saved.target_options);
    lb.trustAll();
    const service = new Service(saved.name, this.#installation(saved.options, saved.target_options), lb);
    service.pause.state = pauseStateFromCode(saved.pause_controller.state);
    service.pause.stopMessage = saved.pause_controller.stop_message;
    service.pause.failAfter = saved.pause_controller.fail_after;
    // service.go UnmarshalJSON: rollout targets come back trusted like the active ones, and so does the split.
    if (saved.rollout_targets !== null && saved.rollout_targets.length > 0) {
      service.rollout = this.#loadBalancer(saved.rollout_targets, saved.rollout_readers ?? [], saved.target_options);
      service.rollout.trustAll();
    }
    service.rolloutSplit = saved.rollout_controller ?? undefined;
    return service;
  }

  #loadBalancer(writers: readonly string[], readers: readonly string[], targetOptions: TargetOptions): LoadBalancer {
    try {
      return new LoadBalancer(writers, readers, targetOptions, this.#log);
    } catch (err) {
      throw new ProxyError((err as Error).message);
    }
  }

  #installation(options: ServiceOptions, targetOptions: TargetOptions): Installation {
    try {
      return { options, targetOptions, certificate: loadCertificate(options), errorPages: loadErrorPages(options.error_page_path) };
    } catch (err) {
      throw new ProxyError((err as Error).message);
    }
  }

  /** The switch: from here on every newly routed request goes to `lb`. Returns the load balancer it replaced. */
  #install(name: string, installation: Installation, lb: LoadBalancer): LoadBalancer | undefined {
    const existing = this.#services.get(name);
    const replaced = existing?.active;
    if (existing === undefined) this.#services.set(name, new Service(name, installation, lb));
    else {
      existing.installed = installation;
      existing.active = lb;
    }
    this.#rebuildMap();
    this.#save();
    return replaced;
  }

  /** Pause and stop take effect at once, then wait out (or cut short) what is in flight, and only then save. */
  async #changeThenDrain(name: string, drainTimeout: number, logged: string, change: (service: Service) => void): Promise<void> {
    const service = this.#find(name);
    change(service);
    await Promise.all(service.loadBalancers.map((lb) => lb.drain(drainTimeout, false)));
    this.#save();
    this.#log("INFO", logged, { service: name });
  }

  #find(name: string): Service {
    const service = this.#services.get(name);
    if (service === undefined) throw new ProxyError("service not found");
    return service;
  }

  #rebuildMap(): void {
    this.#map.rebuild(this.#services.values());
    const tls = [...this.#services.values()].find((service) => this.tlsSettings(service).enabled && service.options.hosts.length > 0);
    if (tls !== undefined) this.#defaultTlsHostname = tls.options.hosts[0] ?? "";
    this.#routesChanged();
  }

  #save(): void {
    try {
      writeFileSync(this.#statePath, encodeState(this.#services.values()));
    } catch (err) {
      this.#log("ERROR", "Unable to save state", { path: this.#statePath, error: (err as Error).message });
    }
  }

  /**
   * The service whose certificate answers a handshake without a server name: router.go GetCertificate looks up
   * the default TLS hostname instead, as clients connecting by IP address send none.
   */
  defaultCertificate(): Service | undefined {
    return this.#defaultTlsHostname === "" ? undefined : this.certificateFor(this.#defaultTlsHostname);
  }

  /** The service whose static certificate answers a TLS handshake for this server name, looked up like a host at "/". */
  certificateFor(serverName: string): Service | undefined {
    const service = this.#map.match(serverName, "/")?.service;
    return service?.installed.certificate === undefined ? undefined : service;
  }
}
