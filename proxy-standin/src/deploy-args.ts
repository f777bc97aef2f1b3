// `deploy`'s flags turned into the request the server receives, after the checks kamal-proxy's deploy command
// makes on the client side before dialling the server (internal/cmd/deploy.go preRun).
import { UsageError, type FlagValue, type ParsedFlags } from "./flags.ts";
import { normalizeHosts, normalizePathPrefixes, type DeployArgs } from "./options.ts";

const ACME_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

/** Builds the deploy request and runs deploy's own pre-checks (internal/cmd/deploy.go preRun). */
export function deployArgs(service: string, parsed: ParsedFlags): DeployArgs {
  const get = <T extends FlagValue>(name: string) => parsed.values.get(name) as T;
  const hosts = normalizeHosts(get<string[]>("host"));
  const prefixes = normalizePathPrefixes(get<string[]>("path-prefix"));
  const tls = get<boolean>("tls");
  if (parsed.changed.has("max-request-body") && !parsed.changed.has("buffer-requests"))
    throw new UsageError("max-request-body can only be set when request buffering is enabled");
  if (parsed.changed.has("max-response-body") && !parsed.changed.has("buffer-responses"))
    throw new UsageError("max-response-body can only be set when response buffering is enabled");
  // Hosts are already normalised to [""] here, so v0.9.2's "host must be set when using TLS" never fires.
  if (tls && !prefixes.includes("/")) throw new UsageError("TLS settings must be specified on the root path service");
  const canonical = get<string>("canonical-host");
  if (canonical !== "" && hosts[0] !== "" && !hosts.includes(canonical))
    throw new UsageError(`canonical-host '${canonical}' must be present in the hosts list: [${hosts.join(" ")}]`);
  return {
    service,
    targets: get<string[]>("target"),
    readers: get<string[]>("read-target"),
    deployTimeout: get<number>("deploy-timeout"),
    drainTimeout: get<number>("drain-timeout"),
    force: get<boolean>("force"),
    options: {
      hosts, path_prefixes: prefixes, tls_enabled: tls,
      tls_certificate_path: get<string>("tls-certificate-path"), tls_private_key_path: get<string>("tls-private-key-path"),
      tls_redirect: get<boolean>("tls-redirect"), canonical_host: canonical,
      acme_directory: get<boolean>("tls-staging") ? ACME_STAGING : "", acme_cache_path: get<string>("tls-acme-cache-path"),
      error_page_path: get<string>("error-pages"), strip_prefix: get<boolean>("strip-path-prefix"),
      writer_affinity_timeout: get<number>("writer-affinity-timeout"),
      read_targets_accept_websockets: get<boolean>("read-target-websockets"),
    },
    targetOptions: {
      health_check_config: {
        path: get<string>("health-check-path"), port: get<number>("health-check-port"),
        interval: get<number>("health-check-interval"), timeout: get<number>("health-check-timeout"),
        host: get<string>("health-check-host"),
      },
      response_timeout: get<number>("target-timeout"),
      buffer_requests: get<boolean>("buffer-requests"), buffer_responses: get<boolean>("buffer-responses"),
      max_memory_buffer_size: get<number>("buffer-memory"),
      max_request_body_size: get<number>("max-request-body"), max_response_body_size: get<number>("max-response-body"),
      log_request_headers: get<string[] | null>("log-request-header"),
      log_response_headers: get<string[] | null>("log-response-header"),
      forward_headers: parsed.changed.has("forward-headers") ? get<boolean>("forward-headers") : !tls,
      scope_cookie_paths: get<boolean>("scope-cookie-paths"),
    },
  };
}
