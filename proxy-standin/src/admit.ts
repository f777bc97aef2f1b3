// Everything decided about a request before it reaches a target, in kamal-proxy's order: route by host and
// path, redirect (TLS, canonical host), answer the health path itself while not running, then the
// pause/stop gate. Shared by plain requests and upgrades.
import type { IncomingMessage } from "node:http";
import type { ErrorPages } from "./error-pages.ts";
import type { Router } from "./router.ts";
import type { Service } from "./service.ts";

export type Admission =
  | { kind: "page"; status: number; message: string; pages: ErrorPages; serviceName: string }
  | { kind: "redirect"; location: string }
  | { kind: "health-ok" }
  | { kind: "forward"; service: Service; upstreamPath: string };

export type Scheme = "http" | "https";

export async function admit(router: Router, req: IncomingMessage, scheme: Scheme): Promise<Admission> {
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt < 0 ? "" : rawUrl.slice(queryAt); // forwarded byte for byte, never re-serialised
  const host = hostWithoutPort(req.headers.host ?? "");

  const match = router.match(host, path);
  if (match === undefined) return { kind: "page", status: 404, message: "", pages: new Map(), serviceName: "" };
  const { service, prefix } = match;
  const pages = service.installed.errorPages;
  const page = (status: number, message = "") => ({ kind: "page", status, message, pages, serviceName: service.name }) as const;

  const tls = router.tlsSettings(service);
  const toHttps = tls.enabled && tls.redirect && scheme === "http";
  const canonical = service.options.canonical_host;
  const wrongHost = canonical !== "" && canonical !== host;
  if (toHttps || wrongHost) {
    const location = `${toHttps || scheme === "https" ? "https" : "http"}://${wrongHost ? canonical : host}${rawUrl}`;
    return { kind: "redirect", location };
  }
  if (scheme === "https" && !tls.enabled) return page(503);

  // v0.9.2 compares the full request path here, before any prefix stripping.
  const isProbe = (req.method === "GET" || req.method === "HEAD") && path === service.targetOptions.health_check_config.path;
  if (service.pause.state !== "running" && isProbe) return { kind: "health-ok" };

  const gate = await service.pause.gate();
  if (gate === "stopped") return page(503, service.pause.stopMessage);
  if (gate === "timeout") return page(504);

  const strip = service.options.strip_prefix && prefix !== "/";
  const upstreamPath = (strip ? path.slice(prefix.length) || "/" : path) + query;
  return { kind: "forward", service, upstreamPath };
}

export function hostWithoutPort(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}
