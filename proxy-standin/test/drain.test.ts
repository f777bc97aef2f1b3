// The switch and the drain (checks B8, C1–C5): requests in flight finish on the old target, new ones go to
// the new target, nothing fails in between, and a deploy waits for the drain but no longer than needed.
import http from "node:http";
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

test("switches between targets under continuous load without a single failed request", { timeout: 20_000 }, async () => {
  await proxy.cli("deploy", "app-web", `--target=${e1.address}`, "--buffer-requests", "--buffer-responses");
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const failures: string[] = [];
  const seen: Array<{ at: number; body: string }> = [];
  let running = true;
  const worker = async (agent: http.Agent | undefined) => {
    while (running) {
      try {
        const reply = await request(proxy.httpPort, "/", { agent });
        if (reply.status < 200 || reply.status > 299) failures.push(`${reply.status} ${reply.body}`);
        seen.push({ at: Date.now(), body: reply.body });
      } catch (err) {
        failures.push((err as Error).message);
      }
      await sleep(20);
    }
  };
  const workers = [worker(keepAlive), worker(keepAlive), worker(undefined)];
  let switchedAt = 0;
  for (const [i, next] of [e2, e1, e2, e1, e2].entries()) {
    await sleep(150);
    const result = await proxy.cli("deploy", "app-web", `--target=${next.address}`, "--buffer-requests", "--buffer-responses");
    expect(result.code, `switch ${i}`).toBe(0);
    switchedAt = Date.now();
  }
  await sleep(200);
  running = false;
  await Promise.all(workers);
  keepAlive.destroy();
  expect(failures).toEqual([]);
  expect(seen.length).toBeGreaterThan(20);
  expect(seen.filter((reply) => reply.at > switchedAt + 5).every((reply) => reply.body === "e2")).toBe(true);
});

describe.concurrent("drain", { timeout: 20_000 }, () => {
  test("waits for in-flight requests on the old target while new ones go to the new target", async () => {
    await proxy.cli("deploy", "c1", `--target=${e1.address}`, "--host=c1.test");
    const slow = request(proxy.httpPort, "/slow?ms=2000&for=c1", { host: "c1.test" });
    await reached(e1, "for=c1");
    const deploy = proxy.cli("deploy", "c1", `--target=${e2.address}`, "--host=c1.test", "--drain-timeout=30s");
    await sleep(700);
    expect((await request(proxy.httpPort, "/", { host: "c1.test" })).body).toBe("e2");
    const finished: string[] = [];
    const [result, reply] = await Promise.all([
      deploy.then((r) => (finished.push("deploy"), r)),
      slow.then((r) => (finished.push("slow request"), r)),
    ]);
    expect(result.code).toBe(0);
    expect(finished).toEqual(["slow request", "deploy"]);
    expect(reply).toMatchObject({ status: 200, body: "e1" });
  });

  test("cancels requests still running at the drain timeout with 504", async () => {
    await proxy.cli("deploy", "c2", `--target=${e1.address}`, "--host=c2.test");
    const slow = request(proxy.httpPort, "/slow?ms=20000&for=c2", { host: "c2.test" });
    await reached(e1, "for=c2");
    const result = await proxy.cli("deploy", "c2", `--target=${e2.address}`, "--host=c2.test", "--drain-timeout=1s");
    expect(result.code).toBe(0);
    expect(result.ms).toBeGreaterThan(1000);
    expect(result.ms).toBeLessThan(4000);
    const reply = await slow;
    expect(reply.status).toBe(504);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.body).toContain("504 — Gateway Timeout");
  });

  test("does not wait for the drain timeout when nothing is in flight", async () => {
    await proxy.cli("deploy", "c3", `--target=${e1.address}`, "--host=c3.test");
    const result = await proxy.cli("deploy", "c3", `--target=${e2.address}`, "--host=c3.test", "--drain-timeout=30s");
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(3000);
  });

  test("closes upgraded connections at once instead of draining them", async () => {
    await proxy.cli("deploy", "c4", `--target=${e1.address}`, "--host=c4.test");
    const { socket, headers } = await openUpgrade(proxy.httpPort, "c4.test");
    expect(headers["x-upstream"]).toBe("e1");
    const echoed = new Promise((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    socket.write("ping");
    expect(await echoed).toBe("ping");
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const result = await proxy.cli("deploy", "c4", `--target=${e2.address}`, "--host=c4.test", "--drain-timeout=30s");
    expect(result.ms).toBeLessThan(3000);
    await closed;
  });

  test("stop drains in-flight requests, cancels the rest with 504, and answers new ones with 503", async () => {
    await proxy.cli("deploy", "c5", `--target=${e1.address}`, "--host=c5.test");
    const slow = request(proxy.httpPort, "/slow?ms=20000&for=c5", { host: "c5.test" });
    await reached(e1, "for=c5");
    const result = await proxy.cli("stop", "c5", "--drain-timeout=1s");
    expect(result.code).toBe(0);
    expect(result.ms).toBeGreaterThan(1000);
    expect(result.ms).toBeLessThan(4000);
    expect((await slow).status).toBe(504);
    expect((await request(proxy.httpPort, "/", { host: "c5.test" })).status).toBe(503);
  });
});

/** Waits until the upstream received a request whose URL contains `marker`: a slow request is then in flight. */
async function reached(upstream: Upstream, marker: string): Promise<void> {
  for (let waited = 0; !upstream.urls.some((url) => url.includes(marker)); waited += 10) {
    if (waited > 10_000) throw new Error(`the request ${marker} never reached ${upstream.name}`);
    await sleep(10);
  }
}
