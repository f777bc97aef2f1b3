// Failed health checks are logged as kamal-proxy v0.9's slog JSON handler writes them, with Go's error texts:
// sextant reads these lines to say why a deploy failed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startProxy, startUpstream, type Proxy } from "./harness.ts";

let proxy: Proxy;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  proxy = await startProxy();
});
afterAll(async () => {
  await Promise.all([proxy.stop(), ...closers.map((close) => close())]);
});

/** The logged failures of `address`, parsed; each line is exactly the keys kamal-proxy writes. */
async function failuresOf(service: string, address: string, deployTimeout = "300ms", ...flags: string[]): Promise<Record<string, string>[]> {
  const result = await proxy.cli("deploy", service, `--target=${address}`, `--host=${service}.test`, `--deploy-timeout=${deployTimeout}`, ...flags);
  expect(result.stderr).toBe(`Error: target failed to become healthy within configured timeout (${deployTimeout})\n`);
  return proxy.logs
    .map((line) => JSON.parse(line) as Record<string, string>)
    .filter((entry) => entry.msg === "Healthcheck failed" && entry.url?.startsWith(`http://${address}/`));
}

/** A server answering every request with `status` and `headers`. */
async function answering(status: number, headers: http.OutgoingHttpHeaders = {}, onRequest = () => {}): Promise<string> {
  const server = http.createServer((_req, res) => {
    onRequest();
    res.writeHead(status, headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.concurrent("Healthcheck failed", { timeout: 20_000 }, () => {
  test("an unexpected status, with the time in Go's RFC 3339 form", async () => {
    const up = await startUpstream("h404", { upStatus: 404 });
    closers.push(() => up.close());
    const [first] = await failuresOf("h1", up.address);
    expect(Object.keys(first ?? {})).toEqual(["time", "level", "msg", "url", "error"]);
    expect(first).toMatchObject({ level: "INFO", url: `http://${up.address}/up`, error: "unexpected status (404)" });
    expect(first?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
  });

  test("connection refused, as Go's dialer words it", async () => {
    const address = await answering(200);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const refusedPort = Number(address.split(":")[1]) + 1;
    const target = `127.0.0.1:${refusedPort}`;
    const [first] = await failuresOf("h2", target);
    expect(first?.error).toBe(`Get "http://${target}/up": dial tcp ${target}: connect: connection refused`);
  });

  test("a redirect to HTTPS that fails names where it led", async () => {
    const address = await answering(301, { location: "https://127.0.0.1:1/up" });
    const [first] = await failuresOf("h3", address);
    expect(first?.error).toBe(`Get "https://127.0.0.1:1/up": dial tcp 127.0.0.1:1: connect: connection refused`);
  });

  // Go's client.go: defaultCheckRedirect refuses once 10 requests were made, and Client.do names the Location.
  test("a redirect loop stops after 10 requests, naming the Location as written", async () => {
    let requests = 0;
    const address = await answering(302, { location: "/up" }, () => requests++);
    // Ten round trips take time on a loaded machine: a longer deploy timeout, and one probe only.
    const [first] = await failuresOf("h4", address, "2s", "--health-check-interval=10s");
    expect(first?.error).toBe(`Get "/up": stopped after 10 redirects`);
    expect(requests).toBe(10);
  });

  // client.go redirectBehavior follows 301, 302, 303, 307 and 308 only; any other 3xx is the answer.
  test("a 300 with a Location is not followed", async () => {
    const address = await answering(300, { location: "/elsewhere" });
    const [first] = await failuresOf("h5", address);
    expect(first?.error).toBe("unexpected status (300)");
  });
});

// health_check.go HealthCheck.check sets --health-check-host as the request's Host; Go's client keeps it on a
// relative redirect (client.go, issue 22233) and adds the Referer of the previous URL (refererForURL).
test("a 308 is followed with the custom Host kept and a Referer", { timeout: 20_000 }, async () => {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === "/up") res.writeHead(308, { location: "/ready" }).end();
    else res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const result = await proxy.cli("deploy", "h6", `--target=${address}`, "--host=h6.test", "--health-check-host=internal.test");
  expect(result.code).toBe(0);
  expect(seen.slice(0, 2).map((headers) => [headers.host, headers.referer])).toEqual([
    ["internal.test", undefined],
    ["internal.test", `http://${address}/up`],
  ]);
});
