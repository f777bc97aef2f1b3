// Where production-shaped traffic meets kamal-proxy v0.9.2's finer behaviour (issue #15 part 3). Each test names
// the real code it pins, in basecamp/kamal-proxy at v0.9.2 or in Go 1.25's net/http, which v0.9.2 is built with.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sleep, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e1: Upstream;
let e2: Upstream;

beforeAll(async () => {
  [proxy, e1, e2] = await Promise.all([startProxy(), startUpstream("e1"), startUpstream("e2")]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), e1.close(), e2.close()]);
});

type Answer = { status: number; body: string; at: number };

/** A POST whose body the test sends in two halves, the second when it calls `finish`. */
function slowUpload(host: string, path: string, size: number): { finish: () => void; answer: Promise<Answer> } {
  const req = http.request({ host: "127.0.0.1", port: proxy.httpPort, path, method: "POST", agent: false, headers: { Host: host, "Content-Length": size } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, at: Date.now() }));
    });
    req.on("error", reject);
  });
  req.write(Buffer.alloc(size / 2, 1));
  return { finish: () => req.end(Buffer.alloc(size / 2, 2)), answer };
}

const deploy = (service: string, target: Upstream, ...flags: string[]) =>
  proxy.cli("deploy", service, `--target=${target.address}`, `--host=${service}.test`, "--buffer-requests", "--buffer-responses", ...flags);

describe.concurrent("request buffering happens after the target is claimed", { timeout: 20_000 }, () => {
  // load_balancer.go LoadBalancer.StartRequest claims the target (Target.StartRequest registers the request as in
  // flight) before Target.SendRequest runs the handler that NewTarget wrapped in WithRequestBufferMiddleware.
  test("an upload in progress at the switch goes to the old target, and the deploy waits for it", async () => {
    await deploy("u1", e1);
    const upload = slowUpload("u1.test", "/echo", 1_000_000);
    await sleep(300); // the headers have reached the proxy, which has claimed e1 and is reading the body
    let deployedAt = 0;
    const switched = deploy("u1", e2, "--drain-timeout=30s").then((result) => ((deployedAt = Date.now()), result));
    await sleep(500);
    expect(deployedAt).toBe(0);
    upload.finish();
    const [result, answer] = await Promise.all([switched, upload.answer]);
    expect(result.code).toBe(0);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ name: "e1", bodyLength: 1_000_000 });
    expect(deployedAt).toBeGreaterThanOrEqual(answer.at);
  });

  // target.go Target.Drain cancels the request's context at the drain timeout; the body keeps being read
  // (request_buffer_middleware.go), then the transport refuses the cancelled request with the cause,
  // ErrorDraining, which Target.handleProxyError answers with 504.
  test("an upload still arriving at the drain timeout is answered 504 once its body is in, and never forwarded", async () => {
    await deploy("u2", e1);
    const before = e1.urls.length;
    const upload = slowUpload("u2.test", "/echo?u2", 1_000_000);
    await sleep(300);
    const result = await deploy("u2", e2, "--drain-timeout=300ms");
    expect(result.code).toBe(0);
    let answered = false;
    void upload.answer.then(() => (answered = true));
    await sleep(300);
    expect(answered).toBe(false);
    upload.finish();
    const answer = await upload.answer;
    expect(answer.status).toBe(504);
    expect(e1.urls.slice(before).filter((url) => url.includes("u2"))).toEqual([]);
  });
});
