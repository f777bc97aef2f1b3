// The option sets a deploy carries, named as in the state file (internal/server/service.go, target.go).
// A deploy replaces all of them at once; nothing is merged. Durations are nanoseconds.

export type ServiceOptions = {
  hosts: string[]; // [""] is the catch-all
  path_prefixes: string[]; // normalised, ["/"] by default
  tls_enabled: boolean;
  tls_certificate_path: string;
  tls_private_key_path: string;
  tls_redirect: boolean;
  canonical_host: string;
  acme_directory: string;
  acme_cache_path: string;
  error_page_path: string;
  strip_prefix: boolean;
  writer_affinity_timeout: number;
  read_targets_accept_websockets: boolean;
};

export type HealthCheckConfig = { path: string; port: number; interval: number; timeout: number; host: string };

export type TargetOptions = {
  health_check_config: HealthCheckConfig;
  response_timeout: number;
  buffer_requests: boolean;
  buffer_responses: boolean;
  max_memory_buffer_size: number;
  max_request_body_size: number;
  max_response_body_size: number;
  log_request_headers: string[] | null;
  log_response_headers: string[] | null;
  forward_headers: boolean;
  scope_cookie_paths: boolean;
};

export type DeployArgs = {
  service: string;
  targets: string[];
  readers: string[];
  options: ServiceOptions;
  targetOptions: TargetOptions;
  deployTimeout: number;
  drainTimeout: number;
  force: boolean;
};

export const normalizeHosts = (hosts: readonly string[]): string[] => (hosts.length === 0 ? [""] : [...hosts]);

export function normalizePathPrefixes(prefixes: readonly string[]): string[] {
  if (prefixes.length === 0) return ["/"];
  return prefixes.map((prefix) => `/${prefix.replace(/^\/+|\/+$/g, "")}`);
}

/** The service serves the site root, so TLS settings may be given on it. */
export const servesRoot = (options: ServiceOptions): boolean => options.path_prefixes.includes("/");

/** kamal-proxy's defaults (internal/server/*.go Default* constants), also used to fill gaps in old state. */
export function defaultServiceOptions(acmeCachePath: string): ServiceOptions {
  return {
    hosts: [""],
    path_prefixes: ["/"],
    tls_enabled: false,
    tls_certificate_path: "",
    tls_private_key_path: "",
    tls_redirect: true,
    canonical_host: "",
    acme_directory: "",
    acme_cache_path: acmeCachePath,
    error_page_path: "",
    strip_prefix: true,
    writer_affinity_timeout: 1e9,
    read_targets_accept_websockets: false,
  };
}

export function defaultTargetOptions(): TargetOptions {
  return {
    health_check_config: { path: "/up", port: 0, interval: 1e9, timeout: 5e9, host: "" },
    response_timeout: 30e9,
    buffer_requests: false,
    buffer_responses: false,
    max_memory_buffer_size: 1048576,
    max_request_body_size: 0,
    max_response_body_size: 0,
    log_request_headers: null,
    log_response_headers: null,
    forward_headers: false,
    scope_cookie_paths: false,
  };
}
