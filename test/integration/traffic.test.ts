// Zero downtime under production-shaped traffic: the sample app's Node mode (keep-alive, uploads, websockets)
// on two lab hosts behind kamal-proxy with a custom certificate, judged under the traffic mix (traffic/mix.ts)
// while sextant deploys v2, rolls back to v1, and puts the app in maintenance and back live. No request may
// fail; the only ends allowed are the ones kamal-proxy v0.9.2 makes by design (internal/server/target.go):
// a target that starts draining closes its hijacked connections (websockets) at once, and cancels what is
// still running when drain_timeout runs out, which its error handler answers with 504. In maintenance
// (`kamal-proxy stop`), new requests get the 503 page and the in-flight ones are drained the same way.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { APP_HOST, initRepo, labAccess, sextant } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";
import { selfSignedCertificate } from "./traffic/certificate.ts";
import { send, type Endpoint } from "./traffic/endpoint.ts";
import { now, pageVersion, type Kind, type TrafficRecord } from "./traffic/record.ts";
import { underTrafficMix, type UnderMix } from "./traffic/under-mix.ts";

const SERVICE = "sample-app";
const DRAIN_SECONDS = 5;
// Longer than the mix's past-drain request, so only a drain can cut that request short (kamal-proxy answers 504
// on its response timeout too, which would hide a missing drain).
const RESPONSE_TIMEOUT_SECONDS = 60;
/** How far a client-side start time may trail the proxy's own switch (the switch is seen at the first new answer). */
const SWITCH_MARGIN_MS = 300;
const REQUEST_KINDS: readonly Kind[] = ["keep-alive GET", "HTTPS GET", "upload 1 MB", "slow 2 s"];

describe.skipIf(labSkipped())("zero downtime under production-shaped traffic", () => {
  let lab: Lab;
  let dir: string;
  let endpoints: Endpoint[];
  let build: { bin: string; cleanup: () => void };
  const cli = async (...args: string[]) => {
    const started = Date.now();
    const run = await sextant(lab, dir, args, { bin: build.bin });
    expect(run.exitCode, `sextant ${args.join(" ")}\n${run.stderr}`).toBe(0);
    console.log(`sextant ${args.join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return run;
  };
  const mix = <T>(title: string, work: () => Promise<T>) => underTrafficMix(title, endpoints, { tls: true }, work);

  beforeAll(async () => {
    lab = currentLab();
    if (!lab.images.nodeApp) throw new Error("this lab has no Node sample app (started before it existed): `npm run lab:down`, then run again");
    build = buildCli();
    await resetHosts(lab);
    const certificate = await selfSignedCertificate(APP_HOST);
    const addresses = lab.hosts.slice(0, 2).map((h) => h.address);
    endpoints = addresses.map((address) => ({ address, hostName: APP_HOST, ca: certificate.certificatePem }));
    dir = mkdtempSync(join(tmpdir(), "sextant-traffic-"));
    mkdirSync(join(dir, "config"), { recursive: true });
    mkdirSync(join(dir, ".kamal"), { recursive: true });
    mkdirSync(join(dir, ".docker"), { recursive: true });
    // ssl_redirect: false keeps plain HTTP answering next to HTTPS, so one deploy carries both kinds.
    writeFileSync(join(dir, "config/deploy.yml"), `service: ${SERVICE}
image: ${lab.images.nodeApp.slice(lab.images.nodeApp.indexOf("/") + 1)}
servers:
${addresses.map((a) => `  - ${a}`).join("\n")}
proxy:
  host: ${APP_HOST}
  app_port: 80
  response_timeout: ${RESPONSE_TIMEOUT_SECONDS}
  ssl:
    certificate_pem: CERTIFICATE_PEM
    private_key_pem: PRIVATE_KEY_PEM
  ssl_redirect: false
${labAccess(lab)}builder:
  arch: amd64
deploy_timeout: 20
drain_timeout: ${DRAIN_SECONDS}
`);
    // Quoted dotenv values keep their line breaks.
    writeFileSync(join(dir, ".kamal/secrets"), `LAB_PASSWORD=lab-password
CERTIFICATE_PEM="${certificate.certificatePem}"
PRIVATE_KEY_PEM="${certificate.privateKeyPem}"
`);
    writeFileSync(join(dir, ".gitignore"), ".docker/\n");
    // Kamal's commands take the version (for the lock's details too) from git, even when --version is given.
    await initRepo(dir);
    await execa("git", ["add", "-A"], { cwd: dir });
    await execa("git", ["commit", "-q", "-m", "traffic app"], { cwd: dir });
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("setup boots v1 on both hosts, over HTTP and over HTTPS with the custom certificate", async () => {
    await cli("setup", "--skip-push", "--version", "v1");
    for (const endpoint of endpoints)
      for (const tls of [false, true]) {
        const answer = await send(endpoint, { method: "GET", path: "/", agent: false, tls, timeoutMs: 5000 });
        expect({ tls, status: answer.status, version: pageVersion(answer.body) }).toEqual({ tls, status: 200, version: "v1" });
      }
  });

  test("deploy of v2 under the mix: nothing fails; the drain ends the long request with 504 and closes the websocket", async () => {
    const run = await mix("sextant deploy v2", () => cli("deploy", "--skip-push", "--version", "v2"));
    expectSwitch(run, "v1", "v2");
  });

  test("rollback to v1 under the mix: the same, back to v1", async () => {
    const run = await mix("sextant rollback v1", () => cli("rollback", "v1"));
    expectSwitch(run, "v2", "v1");
  });

  test("maintenance and live under the mix: 503 pages only in between, the drain ends what was running", async () => {
    const times = { maintenance: 0, live: 0 };
    const run = await mix("sextant app maintenance, then app live", async () => {
      times.maintenance = now();
      await cli("app", "maintenance");
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await cli("app", "live");
      times.live = now();
    });
    expectNoFailures(run);
    for (const { address: host } of endpoints) {
      const on = run.records.filter((r) => r.host === host);
      const pages = on.filter((r) => r.outcome === "503");
      const stoppedAt = Math.min(...pages.map((r) => r.endedAt));
      expect(pages.filter((r) => r.kind === "keep-alive GET").length, host).toBeGreaterThan(0);
      // every 503 was answered while the service was stopped
      expect(pages.filter((r) => r.endedAt < times.maintenance || r.startedAt > times.live).map(describeRecord)).toEqual([]);
      // the websocket, closed at the stop, is refused while stopped and answered again once live
      expect(pages.filter((r) => r.kind === "websocket").length, host).toBeGreaterThan(0);
      expectDrainEnds(on, stoppedAt, "v1");
      // uploads and slow requests in flight at the stop were let finish
      for (const kind of ["upload 1 MB", "slow 2 s"] as const) {
        const spanning = on.filter((r) => r.kind === kind && r.startedAt < stoppedAt - SWITCH_MARGIN_MS && r.endedAt > stoppedAt);
        expect(spanning.map((r) => r.outcome), `${host} ${kind} in flight at the stop`).toContain("answered");
      }
      expect(on.filter((r) => r.outcome === "answered" && r.startedAt > times.live).length, host).toBeGreaterThan(0);
    }
    expect([...new Set(run.records.flatMap((r) => (r.version === undefined ? [] : [r.version])))]).toEqual(["v1"]);
  });
});

/** No failed unit of any kind, and no maintenance page outside maintenance. */
function expectNoFailures(run: UnderMix<unknown>): void {
  for (const [kind, t] of run.tallies) expect({ kind, failed: t.failed, errors: t.errors }).toEqual({ kind, failed: 0, errors: [] });
}

/** A switch from `from` to `to` on every host, judged kind by kind against the first answer from `to`. */
function expectSwitch(run: UnderMix<unknown>, from: string, to: string): void {
  expectNoFailures(run);
  for (const [kind, t] of run.tallies) expect({ kind, "503": t.ended["503"] }).toEqual({ kind, "503": 0 });
  const hosts = [...new Set(run.records.map((r) => r.host))];
  expect(hosts.length).toBe(2);
  for (const host of hosts) {
    const on = run.records.filter((r) => r.host === host);
    const switchedAt = Math.min(...on.filter((r) => r.kind !== "websocket" && r.version === to).map((r) => r.endedAt));
    expect(switchedAt, `${host} never answered with ${to}`).toBeLessThan(Infinity);
    for (const kind of REQUEST_KINDS) {
      const of = on.filter((r) => r.kind === kind && r.outcome === "answered");
      expect(of.length, `${host} ${kind}`).toBeGreaterThan(0);
      // A request the proxy received after the switch goes to the new target; one it received before stays on
      // the old target until it is answered (drained), uploads included: kamal-proxy claims the target before it
      // buffers the body (target.go wraps WithRequestBufferMiddleware inside the target's handler).
      expect(of.filter((r) => r.startedAt > switchedAt && r.version === from).map(describeRecord), `${host} ${kind} after the switch`).toEqual([]);
      expect(of.filter((r) => r.startedAt < switchedAt - SWITCH_MARGIN_MS && r.version === to).map(describeRecord), `${host} ${kind} before the switch`).toEqual([]);
    }
    // some uploads and slow requests were in flight at the switch (and, as checked above, answered by `from`)
    for (const kind of ["upload 1 MB", "slow 2 s"] as const) {
      const spanning = on.filter((r) => r.kind === kind && r.startedAt < switchedAt - SWITCH_MARGIN_MS && r.endedAt > switchedAt);
      expect(spanning.length, `${host}: no ${kind} in flight at the switch`).toBeGreaterThan(0);
    }
    expectDrainEnds(on, switchedAt, from);
    const last = on.filter((r) => r.kind === "websocket").at(-1);
    expect({ outcome: last?.outcome, version: last?.version }).toEqual({ outcome: "answered", version: to });
  }
}

/**
 * What a drain that starts at `drainedAt` ends on one host: the websocket held on the old target is closed at
 * once, and the request longer than drain_timeout gets 504 when the timeout runs out; both exactly once.
 */
function expectDrainEnds(on: readonly TrafficRecord[], drainedAt: number, from: string): void {
  const long = on.filter((r) => r.kind === "past drain");
  expect(long.map((r) => r.outcome)).toEqual(["504"]);
  const cutAfter = ((long[0]?.endedAt ?? 0) - drainedAt) / 1000;
  expect(cutAfter).toBeGreaterThan(DRAIN_SECONDS - 1);
  expect(cutAfter).toBeLessThan(DRAIN_SECONDS + 2);
  const closed = on.filter((r) => r.kind === "websocket" && r.outcome === "closed");
  expect(closed.map((r) => r.version)).toEqual([from]);
  expect(Math.abs((closed[0]?.endedAt ?? 0) - drainedAt)).toBeLessThan(1000);
}

const describeRecord = (r: TrafficRecord): string =>
  `${r.kind} ${r.outcome} by ${r.version ?? "-"}, ${new Date(r.startedAt).toISOString()} to ${new Date(r.endedAt).toISOString()}`;
