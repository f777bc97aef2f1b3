// `proxy:` at the root, in a role or in an accessory (kamal lib/kamal/configuration/docs/proxy.yml,
// validator/proxy.rb).
import * as z from "zod";
import { either, isBoolean, isHash } from "./either.ts";
import { anyHash, bool, int, str, strList } from "./types.ts";

const runSchema = z
  .strictObject({
    http_port: int.optional().meta({ default: 80 }).describe("Host port for HTTP"),
    https_port: int.optional().meta({ default: 443 }).describe("Host port for HTTPS"),
    metrics_port: int.optional().describe("Port for Prometheus metrics"),
    debug: bool.optional().meta({ default: false }).describe("Debug logging in kamal-proxy"),
    log_max_size: str.optional().meta({ default: "10m" }).describe("Maximum size of the proxy's log file"),
    publish: bool.optional().meta({ default: true }).describe("Publish the ports on the host"),
    bind_ips: strList.optional().describe("IPs to publish the ports on (default: all interfaces)"),
    registry: str.optional().describe("Registry of the kamal-proxy image (default: Docker Hub)"),
    repository: str.optional().meta({ default: "basecamp/kamal-proxy" }).describe("Repository of the kamal-proxy image"),
    version: str.optional().meta({ default: "v0.9.2" }).describe("Tag of the kamal-proxy image"),
    options: anyHash.optional().describe("Extra `docker run` flags for the kamal-proxy container"),
  })
  .describe("How the kamal-proxy container runs; every app on a host must agree");

const sslSchema = either(
  "should be a boolean or a hash",
  [isBoolean, bool],
  [
    isHash,
    z.strictObject({
      certificate_pem: str.optional().describe("Secret holding the certificate (PEM)"),
      private_key_pem: str.optional().describe("Secret holding the private key (PEM)"),
    }),
  ],
).meta({ default: false }).describe("`true`: a Let's Encrypt certificate (one host only); a hash: your own certificate");

const proxyFields = z.strictObject({
  host: str.optional().describe("Host name routed to the app; several separated by commas"),
  hosts: strList.optional().describe("Host names routed to the app"),
  app_port: int.optional().meta({ default: 80 }).describe("Port the app listens on inside its container"),
  ssl: sslSchema.optional(),
  ssl_redirect: bool.optional().meta({ default: true }).describe("Redirect HTTP to HTTPS when ssl is on"),
  forward_headers: bool.optional().describe("Forward X-Forwarded-For/-Proto from the client"),
  response_timeout: int.optional().meta({ default: 30 }).describe("Seconds to wait for the app to answer"),
  path_prefix: str.optional().describe("Route only these path prefixes (comma separated)"),
  path_prefixes: strList.optional().describe("Route only these path prefixes"),
  strip_path_prefix: bool.optional().meta({ default: true }).describe("Strip the path prefix before passing the request on"),
  healthcheck: z
    .strictObject({
      path: str.optional().meta({ default: "/up" }).describe("Path the proxy checks"),
      interval: int.optional().meta({ default: 1 }).describe("Seconds between checks"),
      timeout: int.optional().meta({ default: 5 }).describe("Seconds before a check fails"),
    })
    .optional()
    .describe("The check a new container must pass before it gets traffic"),
  buffering: z
    .strictObject({
      requests: bool.optional().meta({ default: true }).describe("Buffer request bodies"),
      responses: bool.optional().meta({ default: true }).describe("Buffer response bodies"),
      max_request_body: int.optional().describe("Largest request body in bytes (0: no limit)"),
      max_response_body: int.optional().describe("Largest response body in bytes (0: no limit)"),
      memory: int.optional().describe("Bytes buffered in memory before spilling to disk"),
    })
    .optional()
    .describe("Request and response buffering"),
  logging: z
    .strictObject({
      request_headers: strList.optional().meta({ default: ["Cache-Control", "Last-Modified", "User-Agent"] }).describe("Request headers to log"),
      response_headers: strList.optional().describe("Response headers to log"),
    })
    .optional()
    .describe("Headers kamal-proxy writes to its log"),
  run: runSchema.optional(),
});

export type ProxyInput = z.infer<typeof proxyFields>;

const present = (value: unknown) =>
  value !== undefined && value !== null && value !== false && value !== "" && !(Array.isArray(value) && value.length === 0);

/** Kamal's checks within one proxy section (validator/proxy.rb). */
const proxySchema = proxyFields.superRefine((proxy, ctx) => {
  if (!present(proxy.host) && !present(proxy.hosts) && present(proxy.ssl))
    ctx.addIssue({
      code: "custom",
      message: "Must set a host to enable automatic SSL",
      params: { fix: "add `host: app.example.com` (the name the certificate is for)" },
    });
  if (proxy.host !== undefined && proxy.hosts !== undefined)
    ctx.addIssue({ code: "custom", message: "Specify one of 'host' or 'hosts', not both", params: { fix: "keep only `hosts:`" } });
  const ssl = proxy.ssl;
  if (isHash(ssl)) {
    if (present(ssl.certificate_pem) && !present(ssl.private_key_pem))
      ctx.addIssue({
        code: "custom",
        message: "Missing private_key_pem setting (required when certificate_pem is present)",
        params: { fix: "add `private_key_pem: SECRET_NAME` next to certificate_pem" },
      });
    if (present(ssl.private_key_pem) && !present(ssl.certificate_pem))
      ctx.addIssue({
        code: "custom",
        message: "Missing certificate_pem setting (required when private_key_pem is present)",
        params: { fix: "add `certificate_pem: SECRET_NAME` next to private_key_pem" },
      });
  }
  const run = proxy.run;
  if (run?.publish === false && (present(run.bind_ips) || present(run.http_port) || present(run.https_port)))
    ctx.addIssue({
      code: "custom",
      message: "Cannot set http_port, https_port or bind_ips when publish is false",
      params: { fix: "remove `publish: false`, or the ports and bind_ips" },
    });
});

export const rootProxySchema = proxySchema.describe("kamal-proxy settings shared by every role that runs behind it");

/** Roles: `true`/`false` switch the proxy on or off; a hash also switches it on. */
export const roleProxySchema = either<boolean, ProxyInput>("should be a boolean or a hash", [isBoolean, bool], [isHash, proxySchema]);

/** Accessories: a hash routes the accessory through kamal-proxy (the root proxy is not merged in). */
export const accessoryProxySchema = either<false, ProxyInput>(
  "should be a hash",
  [(value) => value === false, z.literal(false)],
  [isHash, proxySchema],
).describe("Route this accessory through kamal-proxy (same keys as the root proxy)");
