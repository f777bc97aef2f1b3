// Pages for errors the proxy itself generates (never for upstream responses). The built-in bodies are the
// stand-in's own; what matches kamal-proxy is the status, the content type, the "<code> — <reason>" title
// and the stop message shown on the 503 page. A custom --error-pages directory may hold <status>.html files;
// the stand-in fills in only the {{ .Message }} placeholder (see README: simplifications).
// The status a custom directory has no page for gets the built-in page, as the root middleware answers it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type ErrorPages = ReadonlyMap<number, string>;

const BUILT_IN: Readonly<Record<number, { reason: string; explanation: string }>> = {
  404: { reason: "Not Found", explanation: "No service is deployed for this address." },
  413: { reason: "Content Too Large", explanation: "The request body is larger than this service accepts." },
  502: { reason: "Bad Gateway", explanation: "The application could not be reached." },
  503: { reason: "Service Temporarily Unavailable", explanation: "The service is unavailable right now. Try again shortly." },
  504: { reason: "Gateway Timeout", explanation: "The application took too long to answer." },
};

const STATUS_TEXT: Readonly<Record<number, string>> = { 500: "Internal Server Error" };

export class ErrorPagesError extends Error {
  constructor() {
    super("unable to load error pages");
  }
}

/**
 * Like v0.9.2's template.ParseFS(dir, "*.html") (error_page_middleware.go WithErrorPageMiddleware): the directory
 * must hold at least one readable `*.html` file, whatever its name (a lone `4xx.html` will do), but only
 * `<status>.html` ever answers, as ErrorPageMiddleware.getTemplate looks pages up by that name.
 */
export function loadErrorPages(dir: string): ErrorPages {
  if (dir === "") return new Map();
  try {
    const pages = new Map<number, string>();
    const templates = readdirSync(dir).filter((file) => file.endsWith(".html"));
    if (templates.length === 0) throw new ErrorPagesError();
    for (const file of templates) {
      const text = readFileSync(join(dir, file), "utf8");
      const match = /^(\d{3})\.html$/.exec(file);
      if (match !== null) pages.set(Number(match[1]), text);
    }
    return pages;
  } catch {
    throw new ErrorPagesError();
  }
}

export function renderErrorPage(status: number, message: string, custom: ErrorPages): string {
  const template = custom.get(status);
  if (template !== undefined) return template.replace(/\{\{\s*\.Message\s*\}\}/g, escapeHtml(message));
  const page = BUILT_IN[status];
  if (page === undefined) return `<h1>${status} ${STATUS_TEXT[status] ?? "Error"}</h1>`;
  const title = `${status} — ${page.reason}`;
  const body = status === 503 && message !== "" ? escapeHtml(message) : page.explanation;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1><p>${body}</p></body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
