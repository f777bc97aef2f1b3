// The per-request log line ("Request", as kamal-proxy's logging middleware writes it), emitted when the
// response closes. A client that went away before the answer is logged with status 499.
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostWithoutPort, type Scheme } from "./admit.ts";
import { peerAddress } from "./headers.ts";
import type { Logger } from "./log.ts";

/** What the data path learns about a request while serving it, filled in as it goes. */
export type Outcome = {
  readonly started: bigint;
  service: string;
  target: string;
  requestId: string;
  contentLength: number;
  contentType: string;
};

export const newOutcome = (): Outcome => ({
  started: process.hrtime.bigint(), service: "", target: "", requestId: "", contentLength: 0, contentType: "",
});

type Exchange = { req: IncomingMessage; res: ServerResponse; scheme: Scheme; port: number; outcome: Outcome };

export function logRequest(log: Logger, { req, res, scheme, port, outcome }: Exchange): void {
  const [path = "/", ...query] = (req.url ?? "/").split("?");
  log("INFO", "Request", {
    host: hostWithoutPort(req.headers.host ?? ""),
    port,
    path,
    request_id: outcome.requestId,
    status: res.writableFinished ? res.statusCode : 499,
    service: outcome.service,
    target: outcome.target,
    duration: Number(process.hrtime.bigint() - outcome.started),
    method: req.method,
    req_content_length: Number(req.headers["content-length"] ?? 0),
    req_content_type: req.headers["content-type"] ?? "",
    resp_content_length: outcome.contentLength || Number(res.getHeader("content-length") ?? 0),
    resp_content_type: outcome.contentType || (res.getHeader("content-type") ?? ""),
    client_addr: peerAddress(req),
    client_port: req.socket.remotePort,
    remote_addr: req.headers["x-forwarded-for"] ?? peerAddress(req),
    user_agent: req.headers["user-agent"] ?? "",
    proto: `HTTP/${req.httpVersion}`,
    scheme,
    query: query.join("?"),
  });
}
