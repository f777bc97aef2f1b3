// Host and path routing (internal/server/service_map.go). A host picks one level of bindings, exact, then a
// one-label wildcard, then the catch-all, and never falls through to a lower level. Within that level the
// longest path prefix wins, matching on whole segments only.
import type { ServiceOptions } from "./options.ts";
import type { Service } from "./service.ts";

export type Match = { readonly service: Service; readonly prefix: string };

const withSlash = (path: string): string => (path.endsWith("/") ? path : `${path}/`);

export class ServiceMap {
  #byHost = new Map<string, Match[]>();

  rebuild(services: Iterable<Service>): void {
    const byHost = new Map<string, Match[]>();
    for (const service of services) {
      for (const host of service.options.hosts) {
        const bindings = byHost.get(host) ?? [];
        for (const prefix of service.options.path_prefixes) bindings.push({ service, prefix });
        byHost.set(host, bindings);
      }
    }
    for (const bindings of byHost.values()) bindings.sort((a, b) => b.prefix.length - a.prefix.length);
    this.#byHost = byHost;
  }

  /** `host` is the request's Host without its port; matching is case-sensitive, as in kamal-proxy. */
  match(host: string, path: string): Match | undefined {
    const bindings = this.#bindingsFor(host) ?? [];
    return bindings.find((binding) => withSlash(path).startsWith(withSlash(binding.prefix)));
  }

  /** True when another service already owns one of the (host, prefix) pairs these options claim. */
  conflicts(name: string, options: ServiceOptions): boolean {
    return options.hosts.some((host) =>
      (this.#byHost.get(host) ?? []).some(
        (binding) => binding.service.name !== name && options.path_prefixes.includes(binding.prefix),
      ),
    );
  }

  #bindingsFor(host: string): Match[] | undefined {
    const exact = this.#byHost.get(host);
    if (exact !== undefined) return exact;
    const dot = host.indexOf(".");
    const wildcard = dot > 0 ? this.#byHost.get(`*${host.slice(dot)}`) : undefined;
    return wildcard ?? this.#byHost.get("");
  }
}
