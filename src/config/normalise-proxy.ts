// Reads a proxy section (already merged for roles) into the model (kamal lib/kamal/configuration/proxy.rb,
// proxy/run.rb).
import type { Proxy, ProxyRun } from "./model.ts";
import { str } from "./normalise-values.ts";
import type { ProxyInput } from "./schema/proxy.ts";

const strs = (value: readonly unknown[] | undefined): string[] | undefined => value?.map(String);

export function toProxy(raw: ProxyInput): Proxy {
  const ssl = raw.ssl;
  const sslHash = typeof ssl === "object" && ssl !== null ? ssl : undefined;
  return {
    hosts: strs(raw.hosts) ?? str(raw.host)?.split(",") ?? [],
    appPort: raw.app_port ?? 80,
    // Kamal: `ssl?` is the value itself, so a certificate hash switches TLS on too.
    ssl: ssl === true || sslHash !== undefined,
    sslCertificatePem: str(sslHash?.certificate_pem),
    sslPrivateKeyPem: str(sslHash?.private_key_pem),
    sslRedirect: raw.ssl_redirect,
    forwardHeaders: raw.forward_headers,
    responseTimeout: raw.response_timeout,
    pathPrefixes: strs(raw.path_prefixes) ?? str(raw.path_prefix)?.split(",") ?? [],
    stripPathPrefix: raw.strip_path_prefix,
    healthcheck: {
      ...(raw.healthcheck?.path !== undefined ? { path: String(raw.healthcheck.path) } : {}),
      ...(raw.healthcheck?.interval !== undefined ? { interval: raw.healthcheck.interval } : {}),
      ...(raw.healthcheck?.timeout !== undefined ? { timeout: raw.healthcheck.timeout } : {}),
    },
    buffering: {
      ...(raw.buffering?.requests !== undefined ? { requests: raw.buffering.requests } : {}),
      ...(raw.buffering?.responses !== undefined ? { responses: raw.buffering.responses } : {}),
      ...(raw.buffering?.max_request_body !== undefined ? { maxRequestBody: raw.buffering.max_request_body } : {}),
      ...(raw.buffering?.max_response_body !== undefined ? { maxResponseBody: raw.buffering.max_response_body } : {}),
      ...(raw.buffering?.memory !== undefined ? { memory: raw.buffering.memory } : {}),
    },
    logRequestHeaders: strs(raw.logging?.request_headers),
    logResponseHeaders: strs(raw.logging?.response_headers),
    run: raw.run && Object.keys(raw.run).length > 0 ? toProxyRun(raw.run) : undefined,
  };
}

function toProxyRun(run: NonNullable<ProxyInput["run"]>): ProxyRun {
  return {
    httpPort: run.http_port ?? 80,
    httpsPort: run.https_port ?? 443,
    publish: run.publish ?? true,
    bindIps: strs(run.bind_ips) ?? [],
    logMaxSize: str(run.log_max_size) ?? "10m",
    metricsPort: run.metrics_port,
    debug: run.debug ?? false,
    registry: str(run.registry),
    repository: str(run.repository) ?? "basecamp/kamal-proxy",
    // The oldest kamal-proxy Kamal 2.12 works with (proxy/run.rb MINIMUM_VERSION).
    version: str(run.version) ?? "v0.9.2",
    options: run.options ?? {},
  };
}
