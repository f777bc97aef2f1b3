// Deploys, health checks and the switch (checks B1–B12).
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { request, sleep, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
const upstreams: Upstream[] = [];
const upstream = async (name: string, upStatus = 200) => {
  const started = await startUpstream(name, { upStatus });
  upstreams.push(started);
  return started;
};

beforeAll(async () => {
  proxy = await startProxy();
});
afterEach(async () => {
  for (const row of rows(await proxy.cli("list"))) await proxy.cli("remove", row);
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});
afterAll(async () => {
  await proxy.stop();
});

const rows = (list: { stdout: string }) =>
  list.stdout.split("\n").slice(1, -1).map((line) => line.replace(/\x1b\[[\d;]*m/g, "").split(/\s+/)[0] ?? "");

test("deploys a healthy target quickly and silently, probing /up with kamal-proxy's headers", async () => {
  const e1 = await upstream("e1");
  const result = await proxy.cli("deploy", "app-web", `--target=${e1.address}`);
  expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
  expect(result.ms).toBeLessThan(1500);
  expect(e1.probes[0]).toMatchObject({ "user-agent": "kamal-proxy", host: e1.address });
  expect((await request(proxy.httpPort, "/")).body).toBe("e1");
});

test("fails a deploy whose target never turns healthy, and keeps serving the old target", async () => {
  const e1 = await upstream("e1");
  const e2 = await upstream("e2", 500);
  await proxy.cli("deploy", "app-web", `--target=${e1.address}`);
  const before = await proxy.cli("list");
  const result = await proxy.cli("deploy", "app-web", `--target=${e2.address}`, "--deploy-timeout=1s");
  expect(result).toMatchObject({ code: 1, stdout: "", stderr: "Error: target failed to become healthy within configured timeout (1s)\n" });
  expect(result.ms).toBeGreaterThanOrEqual(1000);
  expect((await request(proxy.httpPort, "/")).body).toBe("e1");
  expect((await proxy.cli("list")).stdout).toBe(before.stdout);
});

test("reports the deploy timeout in Go's format", async () => {
  const e2 = await upstream("e2", 500);
  const result = await proxy.cli("deploy", "app-web", `--target=${e2.address}`, "--deploy-timeout=1500ms");
  expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (1.5s)\n");
});

test("succeeds on the probe after the target recovers", async () => {
  const e2 = await upstream("e2", 503);
  setTimeout(() => (e2.upStatus = 200), 700);
  const result = await proxy.cli("deploy", "app-web", `--target=${e2.address}`, "--deploy-timeout=10s", "--health-check-interval=500ms");
  expect(result.code).toBe(0);
  expect(result.ms).toBeLessThan(2500);
  expect((await request(proxy.httpPort, "/")).body).toBe("e2");
});

test("treats any 2xx as healthy and anything else as unhealthy", async () => {
  const e204 = await upstream("e204", 204);
  expect((await proxy.cli("deploy", "s204", `--target=${e204.address}`, "--host=a.test")).code).toBe(0);
  const e404 = await upstream("e404", 404);
  expect((await proxy.cli("deploy", "s404", `--target=${e404.address}`, "--host=b.test", "--deploy-timeout=600ms")).code).toBe(1);
});

test("times out each probe and sends the first one at once, on the configured path", async () => {
  const slow = await upstream("slow");
  slow.upDelayMs = 3000;
  const result = await proxy.cli("deploy", "app-web", `--target=${slow.address}`, "--health-check-timeout=300ms", "--deploy-timeout=1s", "--health-check-path=/health", "--health-check-interval=2s");
  expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (1s)\n");
  expect(slow.probes).toHaveLength(1);
});

test("a failed first deploy leaves no service behind", async () => {
  const bad = await upstream("bad", 500);
  await proxy.cli("deploy", "fresh", `--target=${bad.address}`, "--host=fresh.test", "--deploy-timeout=500ms");
  expect((await request(proxy.httpPort, "/", { host: "fresh.test" })).status).toBe(404);
  expect(rows(await proxy.cli("list"))).toEqual([]);
});

test("stops probing a single healthy target, so a dead app answers 502 and comes back by itself", async () => {
  const e1 = await upstream("e1");
  await proxy.cli("deploy", "app-web", `--target=${e1.address}`, "--health-check-interval=200ms");
  await e1.close();
  expect((await request(proxy.httpPort, "/")).status).toBe(502);
  await sleep(500);
  expect((await request(proxy.httpPort, "/")).status).toBe(502);
  expect((await proxy.cli("list")).stdout).toContain("running");
  const revived = await startUpstream("e1", { port: Number(e1.address.split(":")[1]), upStatus: 500 });
  upstreams.push(revived);
  expect((await request(proxy.httpPort, "/")).body).toBe("e1");
});

test("balances several targets round-robin and drops one that fails its probes", async () => {
  const e1 = await upstream("e1");
  const e2 = await upstream("e2");
  await proxy.cli("deploy", "app-web", `--target=${e1.address},${e2.address}`, "--health-check-interval=200ms");
  const bodies = [];
  for (let i = 0; i < 4; i++) bodies.push((await request(proxy.httpPort, "/")).body);
  expect(bodies.sort()).toEqual(["e1", "e1", "e2", "e2"]);
  e2.upStatus = 500;
  await sleep(500);
  for (let i = 0; i < 4; i++) expect((await request(proxy.httpPort, "/")).body).toBe("e1");
  e1.upStatus = 500;
  await sleep(500);
  expect((await request(proxy.httpPort, "/")).status).toBe(503);
});

test("--force installs an unhealthy target at once: 503 until its first passing probe", async () => {
  const e3 = await upstream("e3", 500);
  const result = await proxy.cli("deploy", "app-web", `--target=${e3.address}`, "--force", "--health-check-interval=200ms");
  expect(result.code).toBe(0);
  expect((await request(proxy.httpPort, "/")).status).toBe(503);
  e3.upStatus = 200;
  await sleep(500);
  expect((await request(proxy.httpPort, "/")).body).toBe("e3");
});

test("replaces options entirely: redeploying without --host makes a catch-all", async () => {
  const e1 = await upstream("e1");
  await proxy.cli("deploy", "app-web", `--target=${e1.address}`, "--host=a.test");
  expect((await request(proxy.httpPort, "/", { host: "other.test" })).status).toBe(404);
  await proxy.cli("deploy", "app-web", `--target=${e1.address}`);
  expect((await request(proxy.httpPort, "/", { host: "other.test" })).body).toBe("e1");
  expect((await proxy.cli("list")).stdout.replace(/\x1b\[[\d;]*m/g, "")).toContain("app-web  *");
});

test("a target without a port means port 80", async () => {
  const result = await proxy.cli("deploy", "nowhere", "--target=unreachable-host.invalid", "--deploy-timeout=300ms");
  expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (300ms)\n");
  const logged = proxy.logs.find((line) => line.includes("Healthcheck failed") && line.includes("unreachable-host.invalid"));
  expect(logged).toContain("http://unreachable-host.invalid/up");
});
