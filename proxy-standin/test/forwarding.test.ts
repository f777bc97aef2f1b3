// What upstreams receive and what clients get back: forwarded headers, pass-through, timeouts, buffering
// limits, TLS redirects and static certificates (checks F1–F5, G1–G4, H1, H2, H4, H6).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request, sleep, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e1: Upstream;
type Echo = { path: string; host: string; headers: Record<string, string>; bodyLength: number };
const echo = async (host: string, headers: Record<string, string> = {}, path = "/echo") =>
  JSON.parse((await request(proxy.httpPort, path, { host, headers })).body) as Echo;
const deploy = (...args: string[]) => proxy.cli("deploy", ...args, `--target=${e1.address}`);

beforeAll(async () => {
  [proxy, e1] = await Promise.all([startProxy(), startUpstream("e1")]);
  await deploy("f1", "--host=f1.test");
});
afterAll(async () => {
  await Promise.all([proxy.stop(), e1.close()]);
});

describe.concurrent("forwarded headers", () => {
  const incoming = { "X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "h.example" };

  test("trusts incoming X-Forwarded-* by default without TLS, and keeps the request's Host", async () => {
    const seen = await echo("f1.test", incoming);
    expect(seen.headers).toMatchObject({ host: "f1.test", "x-forwarded-for": "1.2.3.4, 127.0.0.1", "x-forwarded-proto": "https", "x-forwarded-host": "h.example" });
  });

  test("replaces them with --forward-headers=false", async () => {
    await deploy("f2", "--host=f2.test", "--forward-headers=false");
    const seen = await echo("f2.test", incoming);
    expect(seen.headers).toMatchObject({ "x-forwarded-for": "127.0.0.1", "x-forwarded-proto": "http", "x-forwarded-host": "f2.test" });
  });

  test("adds a request ID, a start time and the target, and passes a client's request ID on", async () => {
    const seen = await echo("f1.test");
    expect(seen.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seen.headers["x-request-start"]).toMatch(/^t=\d{13}$/);
    expect(seen.headers["x-kamal-target"]).toBe(e1.address);
    expect((await echo("f1.test", { "X-Request-ID": "abc" })).headers["x-request-id"]).toBe("abc");
    const reply = await request(proxy.httpPort, "/", { host: "f1.test" });
    expect(reply.headers["x-request-id"]).toBeUndefined();
  });
});

describe.concurrent("responses", () => {
  test("passes upstream errors through unchanged", async () => {
    const reply = await request(proxy.httpPort, "/boom", { host: "f1.test" });
    expect(reply).toMatchObject({ status: 500, body: "boom" });
  });

  test("keeps serving when the upstream keeps closing idle keep-alive connections", { timeout: 20_000 }, async () => {
    const brisk = await startUpstream("brisk", { keepAliveMs: 60 });
    await proxy.cli("deploy", "ka", "--host=ka.test", `--target=${brisk.address}`);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await request(proxy.httpPort, "/", { host: "ka.test" })).status);
      await sleep(55 + (i % 10));
    }
    await brisk.close();
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  test("replays a request once when a pooled connection turns out to be closed by the upstream", async () => {
    // An upstream that answers the first request on each connection and drops the connection on the second,
    // the way a server whose idle timeout fires just as the proxy reuses the connection would.
    const flaky = net.createServer((socket) => {
      let served = 0;
      socket.on("data", () => {
        if (served++ === 0) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nfresh");
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const address = `127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    await proxy.cli("deploy", "flaky", "--host=flaky.test", `--target=${address}`);
    for (let i = 0; i < 3; i++) expect(await request(proxy.httpPort, "/", { host: "flaky.test" })).toMatchObject({ status: 200, body: "fresh" });
    flaky.close();
  });

  test("answers 504 when the upstream sends no headers within --target-timeout", async () => {
    await deploy("f5", "--host=f5.test", "--target-timeout=500ms");
    const reply = await request(proxy.httpPort, "/hang", { host: "f5.test" });
    expect(reply.status).toBe(504);
    expect(reply.ms).toBeGreaterThanOrEqual(450);
    expect(reply.ms).toBeLessThan(3000);
  });
});

describe.concurrent("buffering", { timeout: 20_000 }, () => {
  test("refuses a request body over --max-request-body with 413 without contacting the upstream", async () => {
    const own = await startUpstream("g1");
    await proxy.cli("deploy", "g1", "--host=g1.test", "--buffer-requests", "--max-request-body=10", `--target=${own.address}`);
    const over = await request(proxy.httpPort, "/echo", { host: "g1.test", method: "POST", body: "x".repeat(11) });
    expect(over).toMatchObject({ status: 413, body: "Request too large\n" });
    expect(own.hits).toBe(0);
    const fits = await request(proxy.httpPort, "/echo", { host: "g1.test", method: "POST", body: "x".repeat(10) });
    expect(fits.status).toBe(200);
    await own.close();
  });

  test("answers 500 for a response over --max-response-body", async () => {
    await deploy("g2", "--host=g2.test", "--buffer-responses", "--max-response-body=10");
    expect((await request(proxy.httpPort, "/big?bytes=11", { host: "g2.test" })).status).toBe(500);
    expect((await request(proxy.httpPort, "/big?bytes=10", { host: "g2.test" })).status).toBe(200);
  });

  test("carries 5 MB each way with Kamal's default buffering", async () => {
    await deploy("g4", "--host=g4.test", "--buffer-requests", "--buffer-responses");
    const upload = await request(proxy.httpPort, "/echo", { host: "g4.test", method: "POST", body: Buffer.alloc(5_000_000, 1) });
    expect((JSON.parse(upload.body) as Echo).bodyLength).toBe(5_000_000);
    const download = await request(proxy.httpPort, "/big?bytes=5000000", { host: "g4.test" });
    expect(download.body.length).toBe(5_000_000);
  });

  test("streams an unbuffered upload of any size", async () => {
    const upload = await request(proxy.httpPort, "/echo", { host: "f1.test", method: "POST", body: Buffer.alloc(3_000_000, 1) });
    expect((JSON.parse(upload.body) as Echo).bodyLength).toBe(3_000_000);
  });
});

describe("TLS and redirects", { timeout: 20_000 }, () => {
  let cert: string;
  let key: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "kp-tls-"));
    [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=t.test", "-addext", "subjectAltName=DNS:t.test",
      "-days", "1", "-keyout", key, "-out", cert], { stdio: "ignore" });
  });

  test("redirects plain HTTP to HTTPS without the port, and serves HTTPS with the static certificate", async () => {
    expect((await deploy("t", "--host=t.test", "--tls", `--tls-certificate-path=${cert}`, `--tls-private-key-path=${key}`)).code).toBe(0);
    const redirect = await request(proxy.httpPort, "/a?b=1", { host: `t.test:${proxy.httpPort}` });
    expect(redirect.status).toBe(301);
    expect(redirect.headers).toMatchObject({ location: "https://t.test/a?b=1", connection: "close" });
    const secure = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request({ host: "127.0.0.1", port: proxy.httpsPort, servername: "t.test", path: "/echo", ca: readFileSync(cert), headers: { Host: "t.test" } }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(secure.status).toBe(200);
    expect((JSON.parse(secure.body) as Echo).headers["x-forwarded-proto"]).toBe("https");
  });

  test("serves plain HTTP with --tls-redirect=false", async () => {
    await deploy("t", "--host=t.test", "--tls", "--tls-redirect=false", `--tls-certificate-path=${cert}`, `--tls-private-key-path=${key}`);
    expect((await request(proxy.httpPort, "/", { host: "t.test" })).body).toBe("e1");
  });

  test("lets a prefixed service inherit TLS from the root service on its host", async () => {
    await deploy("t", "--host=t.test", "--tls", `--tls-certificate-path=${cert}`, `--tls-private-key-path=${key}`);
    await deploy("t-api", "--host=t.test", "--path-prefix=/api");
    expect((await request(proxy.httpPort, "/api/x", { host: "t.test" })).status).toBe(301);
    expect((await proxy.cli("list")).stdout.replace(/\x1b\[[\d;]*m/g, "")).toMatch(/t-api +t\.test +\/api +\S+ +running +yes/);
  });

  test("refuses unloadable certificates and automatic TLS for wildcards, after the health wait", async () => {
    expect((await deploy("bad", "--host=bad.test", "--tls", "--tls-certificate-path=/nope.pem", "--tls-private-key-path=/nope.pem")).stderr)
      .toBe("Error: unable to load certificate\n");
    expect((await deploy("wild", "--host=*.t.test", "--tls")).stderr).toBe("Error: automatic TLS does not support wildcards\n");
    expect((await deploy("pages", "--host=p.test", "--error-pages=/nope")).stderr).toBe("Error: unable to load error pages\n");
  });

  test("redirects other hosts to the canonical host", async () => {
    await deploy("canon", "--canonical-host=c.test", "--host=c.test", "--host=www.c.test");
    const reply = await request(proxy.httpPort, "/p?q", { host: "www.c.test" });
    expect(reply).toMatchObject({ status: 301, headers: { location: "http://c.test/p?q" } });
    expect((await request(proxy.httpPort, "/", { host: "c.test" })).body).toBe("e1");
  });
});
