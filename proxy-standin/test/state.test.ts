// Saved state and restarts (checks A1, A2, A4–A6), and the state file's format.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { request, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e1: Upstream;
const stateFile = () => join(proxy.dir, ".config", "kamal-proxy", "kamal-proxy.state");
const logged = (msg: string) => proxy.logs.filter((line) => line.includes(`"msg":"${msg}"`));

beforeAll(async () => {
  [proxy, e1] = await Promise.all([startProxy(), startUpstream("e1")]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), e1.close()]);
});

test("starts empty, saying there is no previous state", async () => {
  expect(logged("No previous state to restore")).toHaveLength(1);
  expect((await proxy.cli("list")).stdout).toBe(
    "\x1b[3;94mService\x1b[0m  \x1b[3;94mHost\x1b[0m  \x1b[3;94mPath\x1b[0m  \x1b[3;94mTarget\x1b[0m  \x1b[3;94mState\x1b[0m  \x1b[3;94mTLS\x1b[0m  \n",
  );
});

test("writes kamal-proxy's state format after a deploy", async () => {
  await proxy.cli("deploy", "app-web", `--target=${e1.address}`, '--deploy-timeout=30s', "--drain-timeout=30s", "--buffer-requests", "--buffer-responses",
    "--log-request-header=Cache-Control", "--log-request-header=Last-Modified", "--log-request-header=User-Agent");
  const text = readFileSync(stateFile(), "utf8");
  expect(text.endsWith("]\n")).toBe(true);
  expect(text.split("\n")).toHaveLength(2);
  expect(JSON.parse(text)).toEqual([{
    name: "app-web",
    options: {
      hosts: [""], path_prefixes: ["/"], tls_enabled: false, tls_certificate_path: "", tls_private_key_path: "", tls_redirect: true,
      canonical_host: "", acme_directory: "", acme_cache_path: join(proxy.dir, ".config", "kamal-proxy", "certs"), error_page_path: "",
      strip_prefix: true, writer_affinity_timeout: 1000000000, read_targets_accept_websockets: false,
    },
    target_options: {
      health_check_config: { path: "/up", port: 0, interval: 1000000000, timeout: 5000000000, host: "" },
      response_timeout: 30000000000, buffer_requests: true, buffer_responses: true, max_memory_buffer_size: 1048576,
      max_request_body_size: 0, max_response_body_size: 0, log_request_headers: ["Cache-Control", "Last-Modified", "User-Agent"],
      log_response_headers: null, forward_headers: true, scope_cookie_paths: false,
    },
    active_targets: [e1.address], active_readers: [], rollout_targets: null, rollout_readers: null,
    pause_controller: { state: 0, stop_message: "", fail_after: 0 }, rollout_controller: null,
  }]);
});

test("restores the table on restart and trusts restored targets without probing them", async () => {
  const before = (await proxy.cli("list")).stdout;
  e1.upStatus = 500;
  const probes = e1.probes.length;
  await proxy.restart();
  expect(logged("Restored saved state")).toHaveLength(1);
  expect((await request(proxy.httpPort, "/")).body).toBe("e1");
  expect((await proxy.cli("list")).stdout).toBe(before);
  expect(e1.probes.length).toBe(probes);
  e1.upStatus = 200;
});

test("keeps a stop and its message across a restart", async () => {
  await proxy.cli("stop", "app-web", "--message=Back soon");
  await proxy.restart();
  const reply = await request(proxy.httpPort, "/");
  expect(reply.status).toBe(503);
  expect(reply.body).toContain("Back soon");
  expect((await proxy.cli("list")).stdout).toContain("stopped");
  await proxy.cli("resume", "app-web");
});

test("answers 502 when a restored target is gone", async () => {
  const gone = await startUpstream("gone");
  await proxy.cli("deploy", "gone", `--target=${gone.address}`, "--host=gone.test");
  await gone.close();
  await proxy.restart();
  expect((await request(proxy.httpPort, "/", { host: "gone.test" })).status).toBe(502);
});

test("starts empty, and keeps running, when the state file is garbage", async () => {
  writeFileSync(stateFile(), "{not json");
  await proxy.restart();
  expect(logged("Failed to decode saved state")).toHaveLength(1);
  expect((await request(proxy.httpPort, "/")).status).toBe(404);
});

test("stops cleanly on SIGTERM", async () => {
  expect(await proxy.stop()).toBe(0);
  expect(proxy.logs.at(-1)).toContain('"msg":"Server stopped"');
});
