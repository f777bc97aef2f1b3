// The flags Kamal passes to `kamal-proxy deploy` and `kamal-proxy stop`, in Kamal's order
// (kamal lib/kamal/configuration/proxy.rb `deploy_options`, `stop_options`).
import type { Config, Proxy } from "../config/model.ts";
import { optionize } from "./args.ts";
import { errorPagesContainerDirectory, tlsContainerDirectory } from "./names.ts";

/** Kamal sends these request headers to the proxy log unless `proxy.logging.request_headers` says otherwise. */
export const DEFAULT_LOG_REQUEST_HEADERS = ["Cache-Control", "Last-Modified", "User-Agent"] as const;

const seconds = (value: number | undefined): string | undefined => (value === undefined ? undefined : `${value}s`);

export const hasCustomCertificate = (proxy: Proxy): boolean =>
  Boolean(proxy.sslCertificatePem) && Boolean(proxy.sslPrivateKeyPem);

/** `<tls dir>[/ROLE]/<file>`: where a custom certificate lives (accessories have no role segment). */
export const tlsPath = (directory: string, roleName: string | undefined, file: string): string =>
  [directory, roleName, file].filter((part) => part !== undefined).join("/");

const defined = (options: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined && value !== null));

/** `--target="<container>:<app_port>" --host=... --tls ...`; unset options are left out. */
export function deployArgs(config: Config, proxy: Proxy, target: string, roleName: string | undefined): string[] {
  const custom = hasCustomCertificate(proxy);
  const tls = tlsContainerDirectory(config);
  return optionize(defined({
    target: `${target}:${proxy.appPort}`,
    host: proxy.hosts,
    tls: proxy.ssl ? true : undefined,
    "tls-certificate-path": custom ? tlsPath(tls, roleName, "cert.pem") : undefined,
    "tls-private-key-path": custom ? tlsPath(tls, roleName, "key.pem") : undefined,
    "deploy-timeout": seconds(config.deployTimeout),
    "drain-timeout": seconds(config.drainTimeout),
    "health-check-interval": seconds(proxy.healthcheck.interval),
    "health-check-timeout": seconds(proxy.healthcheck.timeout),
    "health-check-path": proxy.healthcheck.path,
    "target-timeout": seconds(proxy.responseTimeout),
    // Kamal buffers both ways unless told not to.
    "buffer-requests": proxy.buffering.requests ?? true,
    "buffer-responses": proxy.buffering.responses ?? true,
    "buffer-memory": proxy.buffering.memory,
    "max-request-body": proxy.buffering.maxRequestBody,
    "max-response-body": proxy.buffering.maxResponseBody,
    "path-prefix": proxy.pathPrefixes,
    "strip-path-prefix": proxy.stripPathPrefix,
    "forward-headers": proxy.forwardHeaders,
    "tls-redirect": proxy.sslRedirect,
    "log-request-header": proxy.logRequestHeaders ?? DEFAULT_LOG_REQUEST_HEADERS,
    "log-response-header": proxy.logResponseHeaders,
    "error-pages": config.errorPagesPath === undefined ? undefined : `${errorPagesContainerDirectory(config)}/${config.version}`,
  }), { joinWith: "=" });
}

/** `--drain-timeout="Ns" --message="..."` for maintenance mode. */
export const stopArgs = (opts: { drainTimeout?: number; message?: string }): string[] =>
  optionize(defined({ "drain-timeout": seconds(opts.drainTimeout), message: opts.message }), { joinWith: "=" });
