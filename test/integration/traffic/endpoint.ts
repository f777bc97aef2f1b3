// Where traffic goes: one lab host's kamal-proxy, over plain HTTP on 80 or HTTPS on 443 with the app's host name
// (SNI and Host) and the custom certificate as the only trusted one.
import http from "node:http";
import https from "node:https";

export type Endpoint = {
  readonly address: string;
  readonly hostName: string;
  readonly ca?: string;
  /** 80 and 443 (the proxy's published ports) unless given */
  readonly ports?: { readonly http: number; readonly https: number };
};

export const portOf = (endpoint: Endpoint, tls: boolean): number =>
  tls ? (endpoint.ports?.https ?? 443) : (endpoint.ports?.http ?? 80);

export type Request = {
  readonly method: "GET" | "POST";
  readonly path: string;
  /** a keep-alive agent shared by a kind's workers; false for a connection of its own */
  readonly agent: http.Agent | false;
  readonly tls: boolean;
  /** body chunks and the pause after each, so an upload takes a while on the wire */
  readonly body?: { readonly chunks: readonly Buffer[]; readonly pauseMs: number };
  readonly timeoutMs: number;
};

export type Answer = { readonly status: number; readonly body: string };

export function send(endpoint: Endpoint, request: Request): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length = request.body?.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const options: https.RequestOptions = {
      host: endpoint.address,
      port: portOf(endpoint, request.tls),
      method: request.method,
      path: request.path,
      agent: request.agent,
      headers: { Host: endpoint.hostName, ...(length === undefined ? {} : { "Content-Length": length }) },
      timeout: request.timeoutMs,
      ...(request.tls ? { servername: endpoint.hostName, ca: endpoint.ca } : {}),
    };
    const req = (request.tls ? https : http).request(options, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${request.timeoutMs} ms`)));
    req.on("error", reject);
    if (request.body === undefined) return void req.end();
    void writeSlowly(req, request.body.chunks, request.body.pauseMs);
  });
}

async function writeSlowly(req: http.ClientRequest, chunks: readonly Buffer[], pauseMs: number): Promise<void> {
  for (const chunk of chunks) {
    if (req.destroyed) return;
    req.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  req.end();
}
