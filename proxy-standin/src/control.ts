// The control channel between the CLI and the running server: JSON over HTTP on a Unix socket (the real
// proxy uses Go net/rpc there; the protocol is private to one program). Calls block until the operation
// is done, so neither side may time out: a deploy can take deploy-timeout plus drain-timeout.
import { rmSync } from "node:fs";
import http from "node:http";
import type { DeployArgs } from "./options.ts";
import { ProxyError, type ListRow, type Router } from "./router.ts";

export type Call =
  | { op: "deploy"; args: DeployArgs }
  | { op: "remove"; service: string }
  | { op: "pause"; service: string; drainTimeout: number; maxPause: number }
  | { op: "stop"; service: string; drainTimeout: number; message: string }
  | { op: "resume"; service: string }
  | { op: "list" }
  | { op: "rollout-deploy"; service: string; targets: string[]; readers: string[]; deployTimeout: number; drainTimeout: number }
  | { op: "rollout-set"; service: string; percentage: number; allowlist: string[] }
  | { op: "rollout-stop"; service: string };

export type Reply = { error: string } | { rows: ListRow[] } | { ok: true };

async function perform(router: Router, call: Call): Promise<Reply> {
  switch (call.op) {
    case "deploy":
      await router.deploy(call.args);
      return { ok: true };
    case "remove":
      router.remove(call.service);
      return { ok: true };
    case "pause":
      await router.pause(call.service, call.drainTimeout, call.maxPause);
      return { ok: true };
    case "stop":
      await router.stop(call.service, call.drainTimeout, call.message);
      return { ok: true };
    case "resume":
      router.resume(call.service);
      return { ok: true };
    case "list":
      return { rows: router.list() };
    case "rollout-deploy":
      await router.rolloutDeploy(call);
      return { ok: true };
    case "rollout-set":
      router.rolloutSet(call.service, call.percentage, call.allowlist);
      return { ok: true };
    case "rollout-stop":
      router.rolloutStop(call.service);
      return { ok: true };
  }
}

export function serveControl(router: Router, path: string): Promise<http.Server> {
  rmSync(path, { force: true }); // a stale socket from an earlier run would make listen fail
  const server = http.createServer({ requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 0 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const reply = perform(router, JSON.parse(Buffer.concat(chunks).toString("utf8")) as Call).catch(
        (err: unknown): Reply => {
          if (err instanceof ProxyError) return { error: err.message };
          throw err;
        },
      );
      reply.then(
        (body) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body)),
        (err: unknown) => res.writeHead(200).end(JSON.stringify({ error: (err as Error).message })),
      );
    });
  });
  server.timeout = 0;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve(server));
  });
}

/** Sends one call to the server and waits, without any time limit, for its reply. */
export function callServer(path: string, call: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: path, method: "POST", path: `/${call.op}`, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Reply));
      res.on("error", reject);
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      // Worded like Go's net.Dial error, which is what the real CLI prints.
      const reason = err.code === "ENOENT" ? "no such file or directory" : err.code === "ECONNREFUSED" ? "connection refused" : err.message;
      reject(new Error(`dial unix ${path}: connect: ${reason}`));
    });
    req.end(JSON.stringify(call));
  });
}
