// Canary deploys on kamal-proxy's rollout, end to end on two lab hosts: v1 runs; a canary of v2 under load takes
// its share of the requests that carry a kamal-rollout cookie and is aborted (only v1 left, canary containers
// gone); a second canary of v2 is promoted (only v2 left). Every phase under continuous load, none may fail.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { commitConfig, getPage, pageVersion, reloadProxyImage, SERVICE, sextant, startLoad, writeApp, type HostLoad } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";

const MIN_REQUESTS = 600;
const PERCENT = 30;
/** Each visitor a random id, as an app would set it: the split hashes the cookie's value. */
const visitor = () => `kamal-rollout=${randomBytes(8).toString("hex")}`;

describe.skipIf(labSkipped())("canary deploys on kamal-proxy's rollout", () => {
  let lab: Lab;
  let dir: string;
  let addresses: string[];
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });
  const on = async (address: string, command: string) => (await execa("ssh", sshArgs(lab, address, command))).stdout;
  const running = (address: string) => on(address, `docker ps --filter label=service=${SERVICE} --format '{{.Names}}' | sort`);
  const canaries = (address: string) => on(address, `docker container ls --all --filter label=sextant.canary --format '{{.Names}}'`);

  /** Runs sextant while every host is under load with a fresh visitor cookie per request. */
  async function underLoad(args: string[]) {
    const load = startLoad(addresses, { minimum: MIN_REQUESTS, cookie: visitor });
    const started = performance.now();
    const run = await cli(args);
    const perHost = await load.stop();
    const hosts = [...perHost].map(([a, l]) => `${a}: ${l.requests} requests, ${l.failures} failed, ${[...l.versions].map(([v, n]) => `${v}×${n}`).join(" ")}`);
    console.log(`sextant ${args.join(" ")}: ${((performance.now() - started) / 1000).toFixed(1)}s under load\n  ${hosts.join("\n  ")}`);
    return { run, perHost };
  }

  /** How many of `count` visitors per host each version served. */
  async function split(count: number): Promise<Map<string, number>[]> {
    return Promise.all(addresses.map(async (address) => {
      const served = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const version = pageVersion(await getPage(address, 5000, "/", visitor())) ?? "?";
        served.set(version, (served.get(version) ?? 0) + 1);
      }
      return served;
    }));
  }

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 2).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-canary-"));
    await writeApp(lab, dir, { hosts: addresses, appVersion: "v1" });
    const setup = await cli(["setup", "--version", "v1"]);
    expect(setup.exitCode, setup.stderr).toBe(0);
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v2" });
    const push = await cli(["build", "push", "--version", "v2"]);
    expect(push.exitCode, push.stderr).toBe(0);
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    await reloadProxyImage(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test(`deploy --canary ${PERCENT} under load: no request fails, v2 takes about ${PERCENT}% of the visitors`, async () => {
    const { run, perHost } = await underLoad(["deploy", "--canary", String(PERCENT), "--skip-push", "--version", "v2"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectNoFailures(perHost);
    for (const address of addresses) expect(await running(address)).toBe(`${SERVICE}-web-v1\n${SERVICE}-web-v2`);

    for (const served of await split(400)) {
      expect([...served.keys()].sort()).toEqual(["v1", "v2"]);
      const share = (served.get("v2") ?? 0) / 400;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.4);
    }
    // Without the cookie, every request stays on the running version.
    for (const address of addresses) expect(pageVersion(await getPage(address))).toBe("v1");

    const status = await cli(["canary", "status"]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout.split("\n")).toEqual(addresses.map((address) =>
      `web on ${address}: v1 running, canary v2 (${SERVICE}-web-v2) gets ${PERCENT}% of the requests with a kamal-rollout cookie`));
  });

  test("canary abort under load: no request fails, only v1 answers, the canary containers are gone", async () => {
    const { run, perHost } = await underLoad(["canary", "abort"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectNoFailures(perHost);
    for (const served of await split(100)) expect([...served.keys()]).toEqual(["v1"]);
    for (const address of addresses) {
      expect(await running(address)).toBe(`${SERVICE}-web-v1`);
      expect(await canaries(address)).toBe("");
    }
  });

  test("canary promote under load: no request fails, only v2 answers, v1 and the canary containers are stopped", async () => {
    const canary = await cli(["deploy", "--canary", String(PERCENT), "--skip-push", "--version", "v2"]);
    expect(canary.exitCode, canary.stderr).toBe(0);

    const { run, perHost } = await underLoad(["canary", "promote"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectNoFailures(perHost);
    for (const served of await split(100)) expect([...served.keys()]).toEqual(["v2"]);
    for (const address of addresses) {
      expect(await running(address)).toBe(`${SERVICE}-web-v2`);
      expect(await canaries(address)).toBe("");
    }
    const status = await cli(["canary", "status"]);
    expect(status.stdout.split("\n")).toEqual(addresses.map((address) => `web on ${address}: v2 running, no canary`));
  });
});

function expectNoFailures(perHost: Map<string, HostLoad>): void {
  for (const [address, load] of perHost) {
    expect({ address, failures: load.failures, errors: load.errors }).toEqual({ address, failures: 0, errors: [] });
    expect(load.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
  }
}
