// Deploys, health checks and the switch (checks B1–B7, B9–B12). Every test owns its service name and host,
// so they run concurrently against one proxy.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request, sleep, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
const upstreams: Upstream[] = [];
const upstream = async (name: string, upStatus = 200) => {
  const started = await startUpstream(name, { upStatus });
  upstreams.push(started);
  return started;
};
const get = (host: string, path = "/") => request(proxy.httpPort, path, { host });
const plain = (text: string) => text.replace(/\x1b\[[\d;]*m/g, "");

beforeAll(async () => {
  proxy = await startProxy();
});
afterAll(async () => {
  await Promise.all([proxy.stop(), ...upstreams.map((u) => u.close())]);
});

describe.concurrent("deploy", { timeout: 20_000 }, () => {
  test("deploys a healthy target quickly and silently, probing /up with kamal-proxy's headers", async () => {
    const e1 = await upstream("e1");
    const result = await proxy.cli("deploy", "b1", `--target=${e1.address}`, "--host=b1.test");
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(e1.probes[0]).toMatchObject({ "user-agent": "kamal-proxy", host: e1.address });
    expect((await get("b1.test")).body).toBe("e1");
  });

  test("fails a deploy whose target never turns healthy, and keeps serving the old target", async () => {
    const e1 = await upstream("e1");
    const e2 = await upstream("e2", 500);
    await proxy.cli("deploy", "b2", `--target=${e1.address}`, "--host=b2.test");
    const result = await proxy.cli("deploy", "b2", `--target=${e2.address}`, "--host=b2.test", "--deploy-timeout=1s");
    expect(result).toMatchObject({ code: 1, stdout: "", stderr: "Error: target failed to become healthy within configured timeout (1s)\n" });
    expect(result.ms).toBeGreaterThanOrEqual(1000);
    expect((await get("b2.test")).body).toBe("e1");
    expect(plain((await proxy.cli("list")).stdout)).toMatch(new RegExp(`b2 +b2\\.test +/ +${e1.address} +running`));
  });

  test("reports the deploy timeout in Go's format", async () => {
    const e2 = await upstream("e2", 500);
    const result = await proxy.cli("deploy", "b2b", `--target=${e2.address}`, "--host=b2b.test", "--deploy-timeout=1500ms");
    expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (1.5s)\n");
  });

  test("succeeds on the probe after the target recovers", async () => {
    const e2 = await upstream("e2", 503);
    setTimeout(() => (e2.upStatus = 200), 700);
    const result = await proxy.cli("deploy", "b3", `--target=${e2.address}`, "--host=b3.test", "--deploy-timeout=10s", "--health-check-interval=500ms");
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(4000);
    expect((await get("b3.test")).body).toBe("e2");
  });

  test("treats any 2xx as healthy and anything else as unhealthy", async () => {
    const e204 = await upstream("e204", 204);
    expect((await proxy.cli("deploy", "b4a", `--target=${e204.address}`, "--host=b4a.test")).code).toBe(0);
    const e404 = await upstream("e404", 404);
    expect((await proxy.cli("deploy", "b4b", `--target=${e404.address}`, "--host=b4b.test", "--deploy-timeout=600ms")).code).toBe(1);
  });

  test("times out each probe and sends the first one at once, on the configured path", async () => {
    const slow = await upstream("slow");
    slow.upDelayMs = 3000;
    const result = await proxy.cli("deploy", "b5", `--target=${slow.address}`, "--host=b5.test", "--health-check-timeout=300ms",
      "--deploy-timeout=1s", "--health-check-path=/health", "--health-check-interval=2s");
    expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (1s)\n");
    expect(slow.probes).toHaveLength(1);
  });

  test("a failed first deploy leaves no service behind", async () => {
    const bad = await upstream("bad", 500);
    await proxy.cli("deploy", "b7", `--target=${bad.address}`, "--host=b7.test", "--deploy-timeout=500ms");
    expect((await get("b7.test")).status).toBe(404);
    expect(plain((await proxy.cli("list")).stdout)).not.toContain("b7");
  });

  test("stops probing a single healthy target: a dead app answers 502, and a revived one 200", async () => {
    const e1 = await upstream("e1");
    await proxy.cli("deploy", "b9", `--target=${e1.address}`, "--host=b9.test", "--health-check-interval=200ms");
    await e1.close();
    expect((await get("b9.test")).status).toBe(502);
    await sleep(500);
    expect((await get("b9.test")).status).toBe(502);
    expect(plain((await proxy.cli("list")).stdout)).toMatch(/b9 .* running/);
    // Its health endpoint now fails, which would give 503 if the proxy were still checking it.
    const revived = await startUpstream("e1", { port: Number(e1.address.split(":")[1]), upStatus: 500 });
    upstreams.push(revived);
    expect((await get("b9.test")).body).toBe("e1");
  });

  test("balances several targets round-robin and drops one that fails its probes", async () => {
    const e1 = await upstream("e1");
    const e2 = await upstream("e2");
    await proxy.cli("deploy", "b10", `--target=${e1.address},${e2.address}`, "--host=b10.test", "--health-check-interval=200ms");
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push((await get("b10.test")).body);
    expect(bodies.sort()).toEqual(["e1", "e1", "e2", "e2"]);
    e2.upStatus = 500;
    await sleep(600);
    for (let i = 0; i < 4; i++) expect((await get("b10.test")).body).toBe("e1");
    e1.upStatus = 500;
    await sleep(600);
    expect((await get("b10.test")).status).toBe(503);
  });

  test("--force installs an unhealthy target at once: 503 until its first passing probe", async () => {
    const e3 = await upstream("e3", 500);
    const result = await proxy.cli("deploy", "b11", `--target=${e3.address}`, "--host=b11.test", "--force", "--health-check-interval=200ms");
    expect(result.code).toBe(0);
    expect((await get("b11.test")).status).toBe(503);
    e3.upStatus = 200;
    await sleep(600);
    expect((await get("b11.test")).body).toBe("e3");
  });

  test("replaces options entirely: redeploying without --host answers every host", async () => {
    const e1 = await upstream("e1");
    await proxy.cli("deploy", "b12", `--target=${e1.address}`, "--host=b12.test", "--path-prefix=/b12");
    expect((await get("other.test", "/b12")).status).toBe(404);
    await proxy.cli("deploy", "b12", `--target=${e1.address}`, "--path-prefix=/b12");
    expect((await get("other.test", "/b12")).body).toBe("e1");
    expect(plain((await proxy.cli("list")).stdout)).toMatch(/b12 +\* +\/b12 /);
  });

  test("a target without a port means port 80", async () => {
    const result = await proxy.cli("deploy", "noport", "--target=unreachable-host.invalid", "--host=noport.test", "--deploy-timeout=300ms");
    expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (300ms)\n");
    const logged = proxy.logs.find((line) => line.includes("Healthcheck failed") && line.includes("unreachable-host.invalid"));
    expect(logged).toContain("http://unreachable-host.invalid/up");
  });
});
