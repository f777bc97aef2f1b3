// How Go's HTTP client words a failed request, which kamal-proxy logs as the `error` of "Healthcheck failed"
// (internal/server/health_check.go): a *url.Error, `Get "URL": REASON`, URL being the request that failed (after
// any redirects) and REASON the net package's text, e.g. `dial tcp 172.18.0.5:3000: connect: connection refused`.
import { readFileSync } from "node:fs";

/** Go's `String()` of the health check URL (target.go buildHealthCheckURL): the address as given, no port added or dropped. */
export function checkedUrl(address: string, port: number, path: string): string {
  const host = port > 0 ? `${address.split(":")[0] ?? ""}:${port}` : address;
  return `http://${host}${path.startsWith("/") ? path : `/${path}`}`;
}

type SocketError = NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };

/** The url.Error text for a Node request error; what Node says when there is no Go equivalent. */
export function requestError(url: string, err: SocketError, socket: { local?: string; remote?: string }): string {
  return `Get ${JSON.stringify(url)}: ${reason(err, socket)}`;
}

const hostPort = (address: string, port: number | undefined) => `${address.includes(":") ? `[${address}]` : address}:${port}`;

function reason(err: SocketError, { local, remote: connected }: { local?: string; remote?: string }): string {
  const remote = err.address === undefined ? connected : hostPort(err.address, err.port);
  switch (err.code) {
    case "ECONNREFUSED":
      return `dial tcp ${remote}: connect: connection refused`;
    case "EHOSTUNREACH":
      return `dial tcp ${remote}: connect: no route to host`;
    case "ENETUNREACH":
      return `dial tcp ${remote}: connect: network is unreachable`;
    case "ENOTFOUND":
      return `dial tcp: lookup ${err.hostname}${nameserver()}: no such host`;
    case "EAI_AGAIN":
      return `dial tcp: lookup ${err.hostname}${nameserver()}: server misbehaving`;
    case "ECONNRESET":
      // Node says "socket hang up" when the server closed before answering, which Go reports as EOF.
      return err.message === "socket hang up" ? "EOF" : `read tcp ${local}->${remote}: read: connection reset by peer`;
    case "EPROTO":
      return "http: server gave HTTP response to HTTPS client";
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
      return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    default:
      return err.message;
  }
}

let resolver: string | undefined;
/** ` on 127.0.0.11:53`: Go's resolver names the DNS server it asked, the first of /etc/resolv.conf. */
function nameserver(): string {
  if (resolver === undefined) {
    let conf = "";
    try {
      conf = readFileSync("/etc/resolv.conf", "utf8");
    } catch {
      // no resolv.conf: Go then asks localhost
    }
    const server = /^nameserver\s+(\S+)/m.exec(conf)?.[1] ?? "127.0.0.1";
    resolver = ` on ${server.includes(":") ? `[${server}]` : server}:53`;
  }
  return resolver;
}
