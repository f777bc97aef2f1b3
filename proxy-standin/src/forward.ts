// The HTTP data path: admit a request, pick a target from the service's current load balancer, optionally
// buffer the body, and proxy to it. The target is picked and the request registered on it in one synchronous
// step, before any body is read (v0.9.2 buffers inside the target's handler, target.go NewTarget), so a switch
// never strands a request: an upload already arriving belongs to the old target, which the drain waits for.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { admit, type Scheme } from "./admit.ts";
import { toMs } from "./duration.ts";
import { goRetries, sendsBody } from "./go-retry.ts";
import { MAX_RESPONSE_HEADER_BYTES } from "./header-limits.ts";
import { endToEnd, upstreamHeaders } from "./headers.ts";
import type { Logger } from "./log.ts";
import { logRequest, newOutcome, type Outcome } from "./request-log.ts";
import { sendPage, sendPlain, sendRedirect } from "./respond.ts";
import type { Router } from "./router.ts";
import type { Service } from "./service.ts";
import type { Target } from "./target.ts";

export function requestHandler(router: Router, log: Logger, scheme: Scheme, port: () => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const outcome = newOutcome();
    res.on("close", () => logRequest(log, { req, res, scheme, port: port(), outcome }));
    handle(router, scheme, req, res, outcome).catch((err: unknown) => {
      log("ERROR", "Request failed", { error: (err as Error).message });
      sendPage(res, 502);
    });
  };
}

async function handle(router: Router, scheme: Scheme, req: IncomingMessage, res: ServerResponse, outcome: Outcome): Promise<void> {
  const admission = await admit(router, req, scheme);
  if (res.destroyed) return;
  switch (admission.kind) {
    case "page":
      outcome.service = admission.serviceName;
      return sendPage(res, admission.status, admission.message, admission.pages);
    case "redirect":
      return sendRedirect(res, admission.location);
    case "health-ok":
      res.writeHead(200, { "Content-Length": 0 }).end();
      return;
    case "forward":
      break;
  }
  const { service, upstreamPath } = admission;
  outcome.service = service.name;
  const isRead = (req.method === "GET" || req.method === "HEAD") && req.headers.upgrade === undefined;
  const target = service.loadBalancerFor(req).pick(isRead);
  if (target === undefined) return sendPage(res, 503, "", service.installed.errorPages);
  outcome.target = target.address;
  await proxy({ service, target, scheme, req, res, upstreamPath, outcome });
}

type Held = { kind: "body"; body: Buffer } | { kind: "too-large" } | { kind: "aborted" };

/** Reads the whole body (RequestBufferMiddleware); "too-large" once it grows past the limit (0 = unlimited). */
function readBody(req: IncomingMessage, limit: number): Promise<Held> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (limit > 0 && size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve({ kind: "too-large" });
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve({ kind: "body", body: Buffer.concat(chunks) }));
    req.on("error", () => resolve({ kind: "aborted" }));
    req.on("close", () => {
      if (!req.complete) resolve({ kind: "aborted" });
    });
  });
}

type Exchange = {
  service: Service; target: Target; scheme: Scheme; req: IncomingMessage; res: ServerResponse;
  upstreamPath: string; outcome: Outcome;
};

function proxy(ex: Exchange): Promise<void> {
  const { service, target, req, res } = ex;
  const options = service.targetOptions;
  const pages = service.installed.errorPages;
  return new Promise((resolve) => {
    let upstream: http.ClientRequest | undefined;
    let headerTimer: NodeJS.Timeout | undefined;
    let settled = false;
    // While the body is still being buffered a drain's cancel only marks the request: Go goes on reading the
    // body (the cancelled context does not stop it) and the transport then refuses to send, answering 504.
    let buffering = false;
    let cancelled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(headerTimer);
      claim?.release();
      resolve();
    };
    const fail = (status: number) => {
      upstream?.destroy();
      sendPage(res, status, "", pages);
      settle();
    };
    const claim = target.begin(() => {
      if (buffering) cancelled = true;
      else fail(504);
    });
    if (claim === undefined) return fail(503);
    res.on("close", () => {
      if (!res.writableFinished) upstream?.destroy();
      settle();
    });

    const forwarded = upstreamHeaders(req, {
      scheme: ex.scheme, forwardHeaders: options.forward_headers, targetAddress: target.address, upgrade: false,
    });
    const { requestId } = forwarded;
    const framed = req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
    ex.outcome.requestId = requestId;
    let body: Buffer | undefined;
    // The client's framing goes on: httputil.ReverseProxy keeps a buffered request's ContentLength and
    // TransferEncoding, so a chunked upload reaches the app chunked (Node would otherwise add a Content-Length).
    const framing = req.headers["transfer-encoding"] === undefined ? [] : ["Transfer-Encoding", "chunked"];
    // Go's transport asks for gzip itself when the client named no encoding and then unzips what comes back
    // (transport.go persistConn.roundTrip and readLoop): the app sees Accept-Encoding: gzip, the client plain bytes.
    const askedGzip = !req.headers["accept-encoding"] && req.headers.range === undefined && req.method !== "HEAD";
    const headers = [...forwarded.headers, ...framing, ...(askedGzip ? ["Accept-Encoding", "gzip"] : [])];

    const attempt = () => {
      const request = http.request({
        host: target.host, port: target.port, method: req.method, path: ex.upstreamPath,
        headers, agent: target.agent, setHost: false, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
      });
      upstream = request;
      let bytesReadBefore = 0;
      request.on("socket", (socket) => (bytesReadBefore = socket.bytesRead));
      // Go's ResponseHeaderTimeout starts once the whole request, body included, has been written
      // (transport.go persistConn.roundTrip), so neither connecting nor a slow upload counts against it.
      let answered = false;
      request.on("finish", () => {
        if (!answered && !settled) headerTimer = setTimeout(() => fail(504), toMs(options.response_timeout));
      });
      request.on("response", (response) => {
        answered = true;
        clearTimeout(headerTimer);
        if (settled) return void response.destroy(); // already answered (timeout or drain)
        deliver(ex, response, askedGzip, settle);
      });
      request.on("error", (err: NodeJS.ErrnoException) => {
        if (settled) return;
        clearTimeout(headerTimer);
        const retry = goRetries({
          reusedConnection: request.reusedSocket,
          failedWriting: err.syscall === "write",
          sawResponseBytes: (request.socket?.bytesRead ?? 0) > bytesReadBefore,
          method: req.method ?? "GET",
          hasBody: sendsBody(req.headers),
          headerNames: Object.keys(req.headers),
        });
        if (retry) return attempt();
        fail(502);
      });
      if (body !== undefined) request.end(framed ? body : undefined);
      else if (framed) req.pipe(request);
      else request.end();
    };

    if (!options.buffer_requests) return attempt();
    buffering = true;
    void readBody(req, options.max_request_body_size).then((held) => {
      buffering = false;
      if (settled) return;
      if (held.kind === "aborted") return settle();
      if (held.kind === "too-large") {
        sendPlain(res, 413, "Request too large");
        return settle();
      }
      if (cancelled) return fail(504);
      body = held.body;
      attempt();
    });
  });
}

function deliver(ex: Exchange, response: IncomingMessage, askedGzip: boolean, done: () => void): void {
  const { res, req } = ex;
  const options = ex.service.targetOptions;
  const status = response.statusCode ?? 502;
  // Go unzips only a response that has a body, and then drops its Content-Encoding and Content-Length.
  const hasBody = response.headers["content-length"] !== "0" && status !== 204 && status !== 304;
  const unzip = askedGzip && hasBody && response.headers["content-encoding"]?.toLowerCase() === "gzip";
  const headers = endToEnd(response.rawHeaders, unzip ? ["content-encoding", "content-length"] : []);
  ex.outcome.contentLength = unzip ? 0 : Number(response.headers["content-length"] ?? 0);
  ex.outcome.contentType = response.headers["content-type"] ?? "";
  response.on("error", () => res.destroy());
  const body: Readable = unzip ? response.pipe(createGunzip()) : response;
  body.on("error", () => res.destroy());
  const streaming = !options.buffer_responses || (response.headers["content-type"] ?? "").startsWith("text/event-stream");
  if (streaming) {
    res.writeHead(status, response.statusMessage, headers.flat());
    body.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  const limit = options.max_response_body_size;
  body.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (overflowed || limit <= 0 || size <= limit) return void chunks.push(chunk);
    overflowed = true;
    response.destroy();
    body.destroy();
    sendPlain(res, 500, "Internal Server Error");
    done();
  });
  body.on("end", () => {
    if (overflowed || res.headersSent) return;
    const whole = Buffer.concat(chunks);
    const hasLength = headers.some(([name]) => name.toLowerCase() === "content-length");
    const bodiless = req.method === "HEAD" || status === 204 || status === 304;
    if (!hasLength && !bodiless) headers.push(["Content-Length", String(whole.length)]);
    res.writeHead(status, response.statusMessage, headers.flat());
    res.end(whole);
  });
}
