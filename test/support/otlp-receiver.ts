// A local OTLP/HTTP collector for tests: answers every POST with `status` and keeps what it received, in order.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { readonly path: string; readonly contentType: string | undefined; readonly body: unknown };

export type OtlpReceiver = {
  /** `http://127.0.0.1:PORT`, the base URL `output.otel.endpoint` takes */
  readonly endpoint: string;
  readonly received: Received[];
  close(): Promise<void>;
};

export async function startOtlpReceiver(status = 200): Promise<OtlpReceiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", contentType: req.headers["content-type"], body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** A port nothing listens on: taken from the system, then let go. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}
