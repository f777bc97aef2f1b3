// What the upstream receives (internal/server/target.go and the request middlewares): the client's headers
// minus hop-by-hop ones, the original Host, and the X-Forwarded-*, X-Request-ID, X-Request-Start and
// X-Kamal-Target headers under the --forward-headers policy.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

const HOP_BY_HOP = ["connection", "proxy-connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"];

// Replaced by the proxy's own values below; Forwarded is dropped as Go's ReverseProxy does.
const REWRITTEN = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-request-id", "x-request-start", "x-kamal-target", "forwarded"];

export type ForwardingPolicy = { scheme: "http" | "https"; forwardHeaders: boolean; targetAddress: string; upgrade: boolean };

/** Header name/value pairs without hop-by-hop headers, nor those the Connection header names. */
export function endToEnd(rawHeaders: readonly string[], drop: readonly string[] = []): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] ?? "", rawHeaders[i + 1] ?? ""]);
  const named = pairs
    .filter(([name]) => name.toLowerCase() === "connection")
    .flatMap(([, value]) => value.split(",").map((token) => token.trim().toLowerCase()));
  const excluded = new Set([...HOP_BY_HOP, ...named, ...drop]);
  return pairs.filter(([name]) => !excluded.has(name.toLowerCase()));
}

export function peerAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
}

/** The flat header list for the upstream request, and the request ID it carries (for the request log). */
export function upstreamHeaders(req: IncomingMessage, policy: ForwardingPolicy): { headers: string[]; requestId: string } {
  const incoming = (name: string): string | undefined => {
    const values = endToEnd(req.rawHeaders).filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
    return values.length === 0 ? undefined : values.join(", ");
  };
  const peer = peerAddress(req);
  const host = req.headers.host ?? "";
  const trusted = (name: string) => (policy.forwardHeaders ? incoming(name) : undefined);
  const priorFor = trusted("x-forwarded-for");
  const priorTarget = trusted("x-kamal-target");
  const requestId = incoming("x-request-id") ?? randomUUID();
  const added: Array<[string, string]> = [
    ["X-Forwarded-For", priorFor === undefined ? peer : `${priorFor}, ${peer}`],
    ["X-Forwarded-Host", trusted("x-forwarded-host") ?? host],
    ["X-Forwarded-Proto", trusted("x-forwarded-proto") ?? policy.scheme],
    ["X-Request-ID", requestId],
    ["X-Request-Start", incoming("x-request-start") ?? `t=${Date.now()}`],
    ["X-Kamal-Target", priorTarget === undefined ? policy.targetAddress : `${priorTarget}, ${policy.targetAddress}`],
  ];
  const upgrade: Array<[string, string]> = policy.upgrade ? [["Connection", "Upgrade"], ["Upgrade", req.headers.upgrade ?? ""]] : [];
  const pairs = [...endToEnd(req.rawHeaders, REWRITTEN), ...added, ...upgrade];
  return { headers: pairs.flat(), requestId };
}
