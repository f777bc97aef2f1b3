// How much header Go's net/http accepts, which kamal-proxy v0.9.2 inherits: its http.Server sets no
// MaxHeaderBytes, so requests get DefaultMaxHeaderBytes (1 MiB) plus the 4096 bytes of slack server.go allows
// for the request line; its transports set no MaxResponseHeaderBytes, so responses may carry 10 MiB of headers.
// Node's own limit is 16 KiB both ways.
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

export const MAX_REQUEST_HEADER_BYTES = (1 << 20) + 4096;
export const MAX_RESPONSE_HEADER_BYTES = 10 << 20;

/**
 * Answers a request the HTTP parser refused as Go's server does (server.go conn.serve): 431 for headers over
 * the limit, 400 for anything else malformed, in plain text, and closes the connection.
 */
export function refuseMalformedRequest(err: NodeJS.ErrnoException, socket: Socket | Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}`);
}
