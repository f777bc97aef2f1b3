// The sample app's Node mode (fixtures/sample-app/node/server.mjs) run locally, driven by the traffic mix's own
// clients: keep-alive, an upload's byte count, a slow answer, and a websocket session, ended by the client or
// cut by the server side as kamal-proxy cuts it at a drain.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { send, type Endpoint } from "../integration/traffic/endpoint.ts";
import { judgeAnswer } from "../integration/traffic/record.ts";
import { websocketSession } from "../integration/traffic/websocket.ts";

describe("the sample app's Node mode", () => {
  let dir: string;
  let app: ChildProcess;
  let endpoint: Endpoint;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "sample-app-node-"));
    copyFileSync(new URL("../../fixtures/sample-app/node/server.mjs", import.meta.url), join(dir, "server.mjs"));
    writeFileSync(join(dir, "VERSION"), "v7\n");
    app = spawn(process.execPath, [join(dir, "server.mjs")], { env: { PORT: "0", KAMAL_VERSION: "abc" }, stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve) =>
      app.stdout?.once("data", (line: Buffer) => resolve(Number(/listening on (\d+)/.exec(line.toString())?.[1]))));
    endpoint = { address: "127.0.0.1", hostName: "sample.test", ports: { http: port, https: 0 } };
  });
  afterEach(() => {
    app.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test("answers the version page over one kept-alive connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const reused: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await new Promise<string>((resolve, reject) => {
        const req = http.get({ host: endpoint.address, port: endpoint.ports?.http, path: "/x?y=1", agent, headers: { Host: "sample.test" } }, (res) => {
          reused.push(req.reusedSocket);
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve(body));
        });
        req.on("error", reject);
      });
      expect(answer).toBe(`sample-app\nversion: v7\nkamal_version: abc\ncontainer: ${answer.match(/container: (.*)/)?.[1]}\nmethod: GET\npath: /x?y=1\n`);
    }
    agent.destroy();
    expect(reused).toEqual([false, true, true]);
  });

  test("reads a 1 MB upload sent in pieces and answers its size; /sleep/N answers after N seconds", async () => {
    const chunks = Array.from({ length: 4 }, () => Buffer.alloc(256 * 1024, 0x61));
    const upload = await send(endpoint, { method: "POST", path: "/upload", agent: false, tls: false, body: { chunks, pauseMs: 20 }, timeoutMs: 5000 });
    expect(upload.body).toContain("method: POST\npath: /upload\nbytes: 1048576\n");
    const started = Date.now();
    const slow = await send(endpoint, { method: "GET", path: "/sleep/0.3", agent: false, tls: false, timeoutMs: 5000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(judgeAnswer(slow.status, slow.body)).toEqual({ outcome: "answered", version: "v7" });
  });

  test("echoes websocket messages with its version until the client closes; a cut connection reads as closed", async () => {
    let stopping = false;
    setTimeout(() => (stopping = true), 500);
    expect(await websocketSession(endpoint, false, () => stopping)).toMatchObject({ kind: "websocket", outcome: "answered", version: "v7" });

    const cut = websocketSession(endpoint, false, () => false);
    setTimeout(() => app.kill("SIGKILL"), 500);
    expect(await cut).toMatchObject({ outcome: "closed", version: "v7" });
  });
});
