// Responses the proxy generates itself: error pages, plain-text buffering errors, and redirects.
import type { ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { renderErrorPage, type ErrorPages } from "./error-pages.ts";

const NO_PAGES: ErrorPages = new Map();

export function sendPage(res: ServerResponse, status: number, message = "", pages: ErrorPages = NO_PAGES): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = renderErrorPage(status, message, pages);
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

/** v0.9.2 answers the buffering limits (413 and 500) in plain text rather than with a page. */
export function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) + 1, Connection: "close" });
  res.end(`${text}\n`);
}

export function sendRedirect(res: ServerResponse, location: string): void {
  const body = `<a href="${location.replaceAll('"', "&#34;")}">Moved Permanently</a>.\n\n`;
  res.writeHead(301, { Location: location, "Content-Type": "text/html; charset=utf-8", Connection: "close" });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

/** The same pages written straight onto a socket, for upgrade requests that never become a ServerResponse. */
export function writeRawPage(socket: Duplex, status: number, message = "", pages: ErrorPages = NO_PAGES): void {
  const body = renderErrorPage(status, message, pages);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: text/html; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
