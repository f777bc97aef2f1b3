// What the Kamal 1 settings of one place (the root, or one role) say about kamal-proxy, gathered from Traefik labels,
// the `traefik:` section and `healthcheck:`, then written as that place's `proxy:` hash.
export type ProxySettings = {
  hosts: string[];
  pathPrefixes: string[];
  /** false when Traefik passed the prefix on (it strips only with a stripprefix middleware) */
  stripPathPrefix?: boolean;
  ssl?: boolean;
  appPort?: number | string;
  healthcheck: { path?: string; interval?: number };
  run: { http_port?: number | string; publish?: false };
};

export const noProxySettings = (): ProxySettings => ({ hosts: [], pathPrefixes: [], healthcheck: {}, run: {} });

export function hasProxySettings(settings: ProxySettings): boolean {
  return Object.keys(proxyHash(settings)).length > 0;
}

/**
 * The `proxy:` hash, keys in the order of Kamal's proxy docs. `listHosts`: write one host as `hosts: [a]`, because
 * the main file's proxy this one is merged over says `hosts:` (Kamal rejects `host` and `hosts` together).
 */
export function proxyHash(settings: ProxySettings, listHosts = false): Record<string, unknown> {
  const hash: Record<string, unknown> = {};
  const hosts = [...new Set(settings.hosts)];
  if (hosts.length === 1 && !listHosts) hash.host = hosts[0];
  if (hosts.length > 1 || (hosts.length === 1 && listHosts)) hash.hosts = hosts;
  if (settings.ssl) hash.ssl = true;
  if (settings.appPort !== undefined) hash.app_port = settings.appPort;
  const prefixes = [...new Set(settings.pathPrefixes)];
  if (prefixes.length === 1) hash.path_prefix = prefixes[0];
  if (prefixes.length > 1) hash.path_prefixes = prefixes;
  if (prefixes.length > 0 && settings.stripPathPrefix === false) hash.strip_path_prefix = false;
  if (Object.keys(settings.healthcheck).length > 0) hash.healthcheck = { ...settings.healthcheck };
  if (Object.keys(settings.run).length > 0) hash.run = { ...settings.run };
  return hash;
}
