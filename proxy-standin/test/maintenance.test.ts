// Stop, pause and resume (checks E2–E7). Each test owns its service and host, so they run concurrently.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request, sleep, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e1: Upstream;
let e2: Upstream;
const get = (host: string, options: { method?: string; path?: string } = {}) =>
  request(proxy.httpPort, options.path ?? "/", { host, method: options.method });
const stateOf = async (service: string) =>
  (await proxy.cli("list")).stdout.replace(/\x1b\[[\d;]*m/g, "").match(new RegExp(`^${service} .* (running|paused|stopped) `, "m"))?.[1];
const deploy = (service: string, target = e1) => proxy.cli("deploy", service, `--target=${target.address}`, `--host=${service}.test`);

beforeAll(async () => {
  [proxy, e1, e2] = await Promise.all([startProxy(), startUpstream("e1"), startUpstream("e2")]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), e1.close(), e2.close()]);
});

describe.concurrent("maintenance", { timeout: 20_000 }, () => {
  test("stop answers 503 pages but keeps the health path green without asking the target", async () => {
    await deploy("e2a");
    expect((await proxy.cli("stop", "e2a")).code).toBe(0);
    const stopped = await get("e2a.test");
    expect(stopped.status).toBe(503);
    expect(stopped.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(stopped.body).toContain("503 — Service Temporarily Unavailable");
    for (const method of ["GET", "HEAD"]) {
      const probe = await get("e2a.test", { method, path: "/up" });
      expect(probe).toMatchObject({ status: 200, body: "", headers: { "content-length": "0" } });
    }
    expect(await stateOf("e2a")).toBe("stopped");
    expect((await proxy.cli("resume", "e2a")).code).toBe(0);
    expect((await get("e2a.test")).body).toBe("e1");
    expect(await stateOf("e2a")).toBe("running");
  });

  test("stop shows its message, HTML-escaped, on the 503 page", async () => {
    await deploy("e3");
    await proxy.cli("stop", "e3", "--message=Down for <upgrade>");
    expect((await get("e3.test")).body).toContain("Down for &#60;upgrade&#62;");
  });

  test("a deploy keeps a stopped service stopped; resume then serves the new target", async () => {
    await deploy("e4");
    await proxy.cli("stop", "e4");
    expect((await deploy("e4", e2)).code).toBe(0);
    expect((await get("e4.test")).status).toBe(503);
    await proxy.cli("resume", "e4");
    expect((await get("e4.test")).body).toBe("e2");
  });

  test("pause holds requests until resume", async () => {
    await deploy("e5");
    await proxy.cli("pause", "e5", "--max-pause=10s");
    expect(await stateOf("e5")).toBe("paused");
    const held = get("e5.test");
    await sleep(1000);
    await proxy.cli("resume", "e5");
    const reply = await held;
    expect(reply).toMatchObject({ status: 200, body: "e1" });
    expect(reply.ms).toBeGreaterThan(1000);
  });

  test("pause answers 504 once a request has waited max-pause", async () => {
    await deploy("e6");
    await proxy.cli("pause", "e6", "--max-pause=500ms");
    const reply = await get("e6.test");
    expect(reply.status).toBe(504);
    expect(reply.ms).toBeGreaterThanOrEqual(450);
    expect(reply.ms).toBeLessThan(2000);
  });

  test("stop releases held requests with 503 and the message", async () => {
    await deploy("e7");
    await proxy.cli("pause", "e7");
    const held = get("e7.test");
    await sleep(200);
    await proxy.cli("stop", "e7", "--message=M-for-maintenance");
    const reply = await held;
    expect(reply.status).toBe(503);
    expect(reply.body).toContain("M-for-maintenance");
  });
});
