// Upgrade requests (WebSockets): admitted like any request, then the two sockets are spliced together.
// Once upgraded the connection counts as hijacked, so a drain closes it at once instead of waiting for it; an
// upgrade still waiting for the target's 101 is drained like any request.
import http, { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { admit, type Scheme } from "./admit.ts";
import { toMs } from "./duration.ts";
import { MAX_RESPONSE_HEADER_BYTES } from "./header-limits.ts";
import { endToEnd, upstreamHeaders } from "./headers.ts";
import type { Logger } from "./log.ts";
import { writeRawPage } from "./respond.ts";
import type { Router } from "./router.ts";

export function upgradeHandler(router: Router, log: Logger, scheme: Scheme) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => socket.destroy());
    splice(router, scheme, req, socket, head).catch((err: unknown) => {
      log("ERROR", "Upgrade failed", { error: (err as Error).message });
      writeRawPage(socket, 502);
    });
  };
}

async function splice(router: Router, scheme: Scheme, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const admission = await admit(router, req, scheme);
  if (admission.kind === "page") return writeRawPage(socket, admission.status, admission.message, admission.pages);
  if (admission.kind === "redirect") {
    socket.end(`HTTP/1.1 301 Moved Permanently\r\nLocation: ${admission.location}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return;
  }
  if (admission.kind === "health-ok") return void socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

  const { service } = admission;
  const pages = service.installed.errorPages;
  const target = service.loadBalancerFor(req).pick(service.options.read_targets_accept_websockets);
  if (target === undefined) return writeRawPage(socket, 503, "", pages);
  let upstreamSocket: Duplex | undefined;
  let timer: NodeJS.Timeout | undefined;
  let answered = false;
  // Until the target answers, failures are answered like any request's: 504 for the --target-timeout (Go's
  // ResponseHeaderTimeout) or a drain running out, 502 for an unreachable target.
  const answer = (status: number) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    request.destroy();
    writeRawPage(socket, status, "", pages);
  };
  const claim = target.begin(() => {
    if (upstreamSocket === undefined) return answer(504);
    upstreamSocket.destroy();
    socket.destroy();
  });
  if (claim === undefined) return writeRawPage(socket, 503, "", pages);
  socket.on("close", claim.release);

  const { headers } = upstreamHeaders(req, {
    scheme, forwardHeaders: service.targetOptions.forward_headers, targetAddress: target.address, upgrade: true,
  });
  const request = http.request({
    host: target.host, port: target.port, method: req.method, path: admission.upstreamPath, headers, setHost: false, agent: false, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
  });
  request.on("finish", () => {
    if (!answered) timer = setTimeout(() => answer(504), toMs(service.targetOptions.response_timeout));
  });
  request.on("upgrade", (response, upstream, upstreamHead) => {
    answered = true;
    clearTimeout(timer);
    upstreamSocket = upstream;
    claim.hijack();
    socket.write(statusLine(response) + rawHeaderBlock(response.rawHeaders) + "\r\n");
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstream.write(head);
    upstream.on("error", () => socket.destroy());
    upstream.on("close", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
    upstream.pipe(socket).pipe(upstream);
  });
  request.on("response", (response) => {
    answered = true;
    clearTimeout(timer);
    socket.write(statusLine(response) + rawHeaderBlock(endToEnd(response.rawHeaders).flat()) + "Connection: close\r\n\r\n");
    response.pipe(socket);
  });
  request.on("error", () => answer(502));
  request.end();
}

const statusLine = (response: IncomingMessage): string =>
  `HTTP/1.1 ${response.statusCode} ${response.statusMessage || STATUS_CODES[response.statusCode ?? 0] || ""}\r\n`;

function rawHeaderBlock(raw: readonly string[]): string {
  let block = "";
  for (let i = 0; i + 1 < raw.length; i += 2) block += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return block;
}
