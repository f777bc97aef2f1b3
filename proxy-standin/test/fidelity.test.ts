// Where production-shaped traffic meets kamal-proxy v0.9.2's finer behaviour (issue #15 part 3). Each test names
// the real code it pins, in basecamp/kamal-proxy at v0.9.2 or in Go 1.25's net/http, which v0.9.2 is built with.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openUpgrade, request, sleep, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e1: Upstream;
let e2: Upstream;

beforeAll(async () => {
  [proxy, e1, e2] = await Promise.all([startProxy(), startUpstream("e1"), startUpstream("e2")]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), e1.close(), e2.close()]);
});

type Answer = { status: number; body: string };

/** A POST whose body the test sends in two halves, the second when it calls `finish`. */
function slowUpload(host: string, path: string, size: number): { finish: () => void; answer: Promise<Answer> } {
  const req = http.request({ host: "127.0.0.1", port: proxy.httpPort, path, method: "POST", agent: false, headers: { Host: host, "Content-Length": size } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
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
    const finishedAt = Date.now();
    upload.finish();
    const [result, answer] = await Promise.all([switched, upload.answer]);
    expect(result.code).toBe(0);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ name: "e1", bodyLength: 1_000_000 });
    expect(deployedAt).toBeGreaterThanOrEqual(finishedAt);
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

describe("a pooled connection that fails after the request went out", { timeout: 20_000 }, () => {
  // An app that answers the first request on each connection and drops the connection on the second, after it
  // has received it: what a keep-alive app restarting or timing out an idle connection looks like.
  let received: string[];
  let app: http.Server;
  let address: string;
  beforeAll(async () => {
    received = [];
    app = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      const served = (req.socket as { served?: number }).served ?? 0;
      (req.socket as { served?: number }).served = served + 1;
      if (served === 0) res.end("fresh");
      else req.on("end", () => req.socket.destroy()).resume();
    });
    app.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    address = `127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    app.closeAllConnections();
    app.close();
  });

  const send = (host: string, path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    request(proxy.httpPort, path, { host, ...options });

  // Go's transport does not resend a written POST (transport.go persistConn.shouldRetryRequest: !isReplayable);
  // httputil.ReverseProxy hands the error to target.go Target.handleProxyError, which answers 502.
  test("a POST is answered 502 and reaches the app once", async () => {
    await proxy.cli("deploy", "r1", `--target=${address}`, "--host=r1.test", "--buffer-requests", "--buffer-responses");
    expect(await send("r1.test", "/warm")).toMatchObject({ status: 200, body: "fresh" });
    const reply = await send("r1.test", "/post-once", { method: "POST", body: "payload" });
    expect(reply.status).toBe(502);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(received.filter((line) => line === "POST /post-once")).toHaveLength(1);
  });

  // The same function retries a bodiless idempotent request on a pooled connection that failed before its
  // first response byte (transportReadFromServerError, errServerClosedIdle).
  test("a GET, and a bodiless POST with an Idempotency-Key, are sent again and succeed", async () => {
    await proxy.cli("deploy", "r2", `--target=${address}`, "--host=r2.test", "--buffer-requests", "--buffer-responses");
    expect(await send("r2.test", "/warm")).toMatchObject({ status: 200 });
    expect(await send("r2.test", "/get-twice")).toMatchObject({ status: 200, body: "fresh" });
    expect(received.filter((line) => line === "GET /get-twice")).toHaveLength(2);
    expect(await send("r2.test", "/keyed", { method: "POST", headers: { "Idempotency-Key": "k1" } })).toMatchObject({ status: 200, body: "fresh" });
    expect(received.filter((line) => line === "POST /keyed")).toHaveLength(2);
  });
});

// target.go createProxyHandler sets --target-timeout as the transport's ResponseHeaderTimeout, whose timer
// Go starts when the request has been written, body included (transport.go persistConn.roundTrip).
test("--target-timeout counts from the end of the upload, not from its start", { timeout: 20_000 }, async () => {
  await proxy.cli("deploy", "t1", `--target=${e1.address}`, "--host=t1.test", "--target-timeout=400ms");
  const upload = slowUpload("t1.test", "/echo", 10_000);
  await sleep(900);
  upload.finish();
  const answer = await upload.answer;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ name: "e1", bodyLength: 10_000 });
});

// service.go createMiddleware hands --error-pages to error_page_middleware.go WithErrorPageMiddleware, whose
// template.ParseFS(dir, "*.html") needs one *.html file of any name; pages are looked up as "<status>.html"
// (ErrorPageMiddleware.getTemplate), and a status without one falls to the built-in page (server.go buildHandler).
test("an --error-pages directory holding only 4xx.html is accepted, and the built-in pages answer", { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "kp-pages-"));
  writeFileSync(join(dir, "4xx.html"), "<p>client error</p>");
  expect((await proxy.cli("deploy", "p1", `--target=${e1.address}`, "--host=p1.test", `--error-pages=${dir}`)).code).toBe(0);
  await proxy.cli("stop", "p1");
  const reply = await request(proxy.httpPort, "/", { host: "p1.test" });
  expect(reply.status).toBe(503);
  expect(reply.body).toContain("503 — Service Temporarily Unavailable");

  const empty = mkdtempSync(join(tmpdir(), "kp-pages-"));
  writeFileSync(join(empty, "503.htm"), "not a template");
  mkdirSync(join(empty, "sub"));
  writeFileSync(join(empty, "sub", "503.html"), "nested");
  expect((await proxy.cli("deploy", "p2", `--target=${e1.address}`, "--host=p2.test", `--error-pages=${empty}`)).stderr).toBe("Error: unable to load error pages\n");
});

// server.go startHTTPServers builds its http.Server without MaxHeaderBytes, so Go's DefaultMaxHeaderBytes (1 MiB,
// plus 4096 bytes of slack) applies, and Go's conn.serve refuses more with a plain-text 431; target.go
// createProxyHandler's transport sets no MaxResponseHeaderBytes, so a response may carry up to 10 MiB of headers.
describe("header limits", { timeout: 20_000 }, () => {
  let app: http.Server;
  let address: string;
  beforeAll(async () => {
    app = http.createServer({ maxHeaderSize: 4 << 20 }, (req, res) => {
      res.writeHead(200, { "X-Big": "r".repeat(100_000) }).end(String(req.headers["x-big"]?.length ?? 0));
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    address = `127.0.0.1:${(app.address() as AddressInfo).port}`;
    await proxy.cli("deploy", "hl", `--target=${address}`, "--host=hl.test");
  });
  afterAll(() => app.close());

  /** The raw bytes the proxy answers to a GET carrying an X-Big header of `size` bytes. */
  const rawAnswer = (size: number) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(proxy.httpPort, "127.0.0.1");
      let answer = "";
      socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
      socket.on("end", () => resolve(answer));
      socket.on("error", reject);
      socket.write(`GET / HTTP/1.1\r\nHost: hl.test\r\nConnection: close\r\nX-Big: ${"q".repeat(size)}\r\n\r\n`);
    });

  test("takes request headers far over Node's 16 KiB, and response headers of 100 KB", async () => {
    const answer = await rawAnswer(1_000_000);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain(`X-Big: ${"r".repeat(100_000)}\r\n`);
    expect(answer).toContain("\r\n\r\n7\r\n1000000\r\n");
  });

  test("refuses request headers over 1 MiB with Go's 431", async () => {
    expect(await rawAnswer(1_060_000)).toBe(
      "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large",
    );
  });
});

// target.go: targetResponseWriter.Hijack marks a request hijacked only when httputil.ReverseProxy takes over the
// connection after the target's 101; Target.Drain cuts the connections hijacked when it starts and waits, up to
// the drain timeout, for everything else.
test("an upgrade still waiting for its 101 at the switch is drained, then cut at the drain timeout", { timeout: 20_000 }, async () => {
  const slow = http.createServer((_req, res) => res.end());
  slow.on("upgrade", (_req, socket: net.Socket) => {
    socket.on("error", () => socket.destroy());
    setTimeout(() => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      socket.pipe(socket);
    }, 800);
  });
  await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(slow.address() as AddressInfo).port}`;
  await proxy.cli("deploy", "w1", `--target=${address}`, "--host=w1.test");
  const upgraded = openUpgrade(proxy.httpPort, "w1.test");
  await sleep(300);
  const switched = proxy.cli("deploy", "w1", `--target=${e2.address}`, "--host=w1.test", "--drain-timeout=1500ms");
  const { socket } = await upgraded;
  const closed = new Promise((resolve) => socket.once("close", resolve));
  const echoed = new Promise((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString())));
  socket.write("ping");
  expect(await echoed).toBe("ping");
  const result = await switched;
  expect(result.code).toBe(0);
  expect(result.ms).toBeGreaterThanOrEqual(1400);
  await closed;
  slow.closeAllConnections();
  slow.close();
});

// router.go GetCertificate: a handshake without a server name (a client connecting by IP address) is answered
// with the certificate of the default TLS hostname, the first host of a TLS service (service_map.go).
test("an HTTPS client that sends no server name gets the TLS service's certificate", { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "kp-tls-"));
  const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=sni.test", "-addext", "subjectAltName=DNS:sni.test",
    "-days", "1", "-keyout", key, "-out", cert], { stdio: "ignore" });
  const result = await proxy.cli("deploy", "sni", `--target=${e1.address}`, "--host=sni.test", "--tls", `--tls-certificate-path=${cert}`, `--tls-private-key-path=${key}`);
  expect(result.code).toBe(0);
  const reply = await new Promise<{ status: number; body: string; subject: string }>((resolve, reject) => {
    // Connecting to an IP address, Node sends no SNI, as curl does.
    const req = https.request({
      host: "127.0.0.1", port: proxy.httpsPort, path: "/", agent: false, ca: readFileSync(cert), headers: { Host: "sni.test" },
      checkServerIdentity: () => undefined,
    }, (res) => {
      const subject = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, subject }));
    });
    req.on("error", reject);
    req.end();
  });
  expect(reply).toEqual({ status: 200, body: "e1", subject: "sni.test" });
});

// httputil.ReverseProxy.ServeHTTP clones the request, ContentLength and TransferEncoding included, and Go's
// transport writes a body of unknown length chunked: buffering (request_buffer_middleware.go) changes neither.
test("a chunked upload reaches the app chunked, buffered or not", { timeout: 20_000 }, async () => {
  await proxy.cli("deploy", "ch", `--target=${e1.address}`, "--host=ch.test", "--buffer-requests");
  const upload = { host: "ch.test", method: "POST", headers: { "Transfer-Encoding": "chunked" }, body: Buffer.alloc(200_000, 1) };
  for (const host of ["ch.test", "f1.test"]) {
    if (host === "f1.test") await proxy.cli("deploy", "f1", `--target=${e1.address}`, "--host=f1.test");
    const seen = JSON.parse((await request(proxy.httpPort, "/echo", { ...upload, host })).body) as { headers: Record<string, string>; bodyLength: number };
    expect([seen.headers["transfer-encoding"], seen.headers["content-length"], seen.bodyLength]).toEqual(["chunked", undefined, 200_000]);
  }
});

// target.go createProxyHandler's http.Transport leaves DisableCompression off, so Go's transport adds
// Accept-Encoding: gzip to a request that names no encoding and unzips the answer (transport.go
// persistConn.roundTrip, readLoop); a client that asked for gzip itself gets the app's bytes untouched.
test("a client naming no encoding gets the app's gzip unzipped; one that asked for gzip gets it as is", { timeout: 20_000 }, async () => {
  const app = http.createServer((req, res) => {
    const text = `asked ${req.headers["accept-encoding"] ?? "nothing"}`;
    if (req.url === "/up" || !req.headers["accept-encoding"]?.includes("gzip")) return void res.end(text);
    res.writeHead(200, { "Content-Encoding": "gzip", "Content-Type": "text/plain" }).end(gzipSync(text));
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(app.address() as AddressInfo).port}`;
  for (const [service, buffering] of [["gz1", []], ["gz2", ["--buffer-responses"]]] as const) {
    await proxy.cli("deploy", service, `--target=${address}`, `--host=${service}.test`, ...buffering);
    const plain = await request(proxy.httpPort, "/", { host: `${service}.test` });
    expect([plain.body, plain.headers["content-encoding"]]).toEqual(["asked gzip", undefined]);
    const zipped = await request(proxy.httpPort, "/", { host: `${service}.test`, headers: { "Accept-Encoding": "gzip, br" } });
    expect([zipped.headers["content-encoding"], zipped.body === "asked gzip, br"]).toEqual(["gzip", false]);
  }
  app.close();
});

// An upgrade is an ordinary round trip for httputil.ReverseProxy until the 101, so the transport's
// ResponseHeaderTimeout (--target-timeout, target.go createProxyHandler) bounds the wait for it, answered 504
// by Target.handleProxyError.
test("--target-timeout bounds the wait for a websocket's 101", { timeout: 20_000 }, async () => {
  const mute = http.createServer((_req, res) => res.end());
  mute.on("upgrade", (_req, socket: net.Socket) => socket.on("error", () => socket.destroy()));
  await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(mute.address() as AddressInfo).port}`;
  await proxy.cli("deploy", "w2", `--target=${address}`, "--host=w2.test", "--target-timeout=400ms");
  const started = Date.now();
  await expect(openUpgrade(proxy.httpPort, "w2.test")).rejects.toThrow("no upgrade: 504");
  expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  mute.closeAllConnections();
  mute.close();
});
