// Rollouts (kamal-proxy v0.9.2 internal/cmd/rollout_*.go, internal/server/rollout_controller.go, router.go
// SetRolloutTargets/SetRolloutSplit/StopRollout, service.go loadBalancerForRequest and the saved state).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { fnv1a32 } from "../src/rollout-controller.ts";
import { request, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let v1: Upstream;
let v2: Upstream;
let sick: Upstream;
const stateFile = () => join(proxy.dir, ".config", "kamal-proxy", "kamal-proxy.state");
const saved = () => (JSON.parse(readFileSync(stateFile(), "utf8")) as Record<string, unknown>[])[0];
const logged = (msg: string) => proxy.logs.filter((line) => line.includes(`"msg":"${msg}"`));
const page = async (cookie?: string) =>
  (await request(proxy.httpPort, "/", cookie === undefined ? {} : { headers: { Cookie: cookie } })).body;

beforeAll(async () => {
  [proxy, v1, v2, sick] = await Promise.all([startProxy(), startUpstream("v1"), startUpstream("v2"), startUpstream("sick", { upStatus: 503 })]);
  await proxy.cli("deploy", "app-web", `--target=${v1.address}`);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), v1.close(), v2.close(), sick.close()]);
});

test("hashes split values with 32-bit FNV-1a, as Go's hash/fnv New32a", () => {
  expect(fnv1a32("")).toBe(0x811c9dc5);
  expect(fnv1a32("a")).toBe(0xe40c292c);
  expect(fnv1a32("foobar")).toBe(0xbf9cf968);
});

test("refuses rollouts of unknown services and a split before a rollout target", async () => {
  expect(await proxy.cli("rollout", "deploy", "nosuch", `--target=${v2.address}`)).toMatchObject({ code: 1, stderr: "Error: service not found\n" });
  expect(await proxy.cli("rollout", "set", "nosuch", "--percent=10")).toMatchObject({ code: 1, stderr: "Error: service not found\n" });
  expect(await proxy.cli("rollout", "stop", "nosuch")).toMatchObject({ code: 1, stderr: "Error: service not found\n" });
  expect(await proxy.cli("rollout", "set", "app-web", "--percent=10")).toMatchObject({ code: 1, stderr: "Error: rollout target not set\n" });
  expect(await proxy.cli("rollout", "deploy", "app-web")).toMatchObject({ code: 1, stderr: 'Error: required flag(s) "target" not set\n' });
});

test("a rollout target that never becomes healthy fails like a deploy and leaves no rollout behind", async () => {
  const result = await proxy.cli("rollout", "deploy", "app-web", `--target=${sick.address}`, "--deploy-timeout=1s");
  expect(result).toMatchObject({ code: 1, stderr: "Error: target failed to become healthy within configured timeout (1s)\n" });
  expect(saved()).toMatchObject({ rollout_targets: null, rollout_controller: null });
});

test("rollout deploy health-checks the target and saves it, but sends it nothing until a split is set", async () => {
  expect(await proxy.cli("rollout", "deploy", "app-web", `--target=${v2.address}`)).toMatchObject({ code: 0, stdout: "", stderr: "" });
  expect(v2.probes.length).toBeGreaterThan(0);
  expect(logged("Deployed for rollout")).toHaveLength(1);
  expect(saved()).toMatchObject({ active_targets: [v1.address], rollout_targets: [v2.address], rollout_readers: [], rollout_controller: null });
  expect(await page("kamal-rollout=anyone")).toBe("v1");
});

test("a percentage sends the cookie values whose hash is at most that share of 2^32-1 to the rollout target", async () => {
  expect(await proxy.cli("rollout", "set", "app-web", "--percent=30")).toMatchObject({ code: 0, stdout: "", stderr: "" });
  const point = 0xffffffff * 0.3;
  // Values that differ only in their last bytes hash close together, so visitors get well-mixed ids.
  const values = Array.from({ length: 40 }, (_, i) => createHash("sha1").update(`visitor-${i}`).digest("hex"));
  const served = await Promise.all(values.map((value) => page(`theme=dark; kamal-rollout=${value}`)));
  expect(served).toEqual(values.map((value) => (fnv1a32(value) <= point ? "v2" : "v1")));
  expect(served).toContain("v2");
  expect(served).toContain("v1");
  expect(await page()).toBe("v1"); // no cookie: always the active target
  expect(await page("kamal-rollout=")).toBe("v1");
  expect(saved()).toMatchObject({ rollout_controller: { percentage: 30, percentage_split_point: point, allowlist: [] } });
});

test("an allow-listed value goes to the rollout target whatever the percentage", async () => {
  const outside = Array.from({ length: 50 }, (_, i) => `user-${i}`).find((value) => fnv1a32(value) > 0xffffffff * 0.3) ?? "";
  await proxy.cli("rollout", "set", "app-web", "--percent=0", "--list=tester,staff");
  expect(await page("kamal-rollout=tester")).toBe("v2");
  expect(await page(`kamal-rollout=${outside}`)).toBe("v1");
  expect(saved()).toMatchObject({ rollout_controller: { percentage: 0, percentage_split_point: 0, allowlist: ["tester", "staff"] } });
});

test("the split and rollout target survive a restart; a main deploy leaves them alone", async () => {
  await proxy.restart();
  expect(await page("kamal-rollout=tester")).toBe("v2");
  await proxy.cli("deploy", "app-web", `--target=${v1.address}`);
  expect(await page("kamal-rollout=tester")).toBe("v2");
  expect(await page("kamal-rollout=other")).toBe("v1");
});

test("rollout stop sends everything back to the active target and keeps the rollout target in the state", async () => {
  expect(await proxy.cli("rollout", "stop", "app-web")).toMatchObject({ code: 0, stdout: "", stderr: "" });
  expect(await page("kamal-rollout=tester")).toBe("v1");
  expect(saved()).toMatchObject({ rollout_targets: [v2.address], rollout_controller: null });
  expect(logged("Stopped rollout")).toHaveLength(1);
  // The target is still there, so a new split needs no new rollout deploy.
  expect(await proxy.cli("rollout", "set", "app-web", "--list=tester")).toMatchObject({ code: 0 });
  expect(await page("kamal-rollout=tester")).toBe("v2");
});
