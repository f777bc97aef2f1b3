// Zero-downtime deploys end to end: the built CLI as a user runs it, against the lab's three hosts (sshd + dockerd
// each, kamal-proxy stand-in, lab registry). The tests run in order and share the hosts' state: setup v1, deploy
// v2 and roll back to v1 under HTTP load, a failing v3, two deploys at once, the app commands, what a host looks
// like afterwards (Kamal's takeover checklist), and remove.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { commitConfig, GIT_USER, getPage, pageVersion, reloadProxyImage, SERVICE, sextant, startLoad, writeApp, type HostLoad } from "./deploy-app.ts";
import { buildCli } from "../cli/support.ts";
import { HEARTBEAT_INTERVAL_SECONDS } from "../../src/flows/lock-liveness.ts";
import { currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";

const MIN_REQUESTS = 2000;

describe.skipIf(labSkipped())("zero-downtime deploys on three lab hosts", () => {
  let lab: Lab;
  let dir: string;
  let addresses: string[];
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[], env: Record<string, string> = {}) => sextant(lab, dir, args, { bin: build.bin, env });
  const on = async (address: string, command: string) => (await execa("ssh", sshArgs(lab, address, command))).stdout;
  const versionsServed = async () => Promise.all(addresses.map(async (a) => pageVersion(await getPage(a))));

  /** Runs sextant while every host is under load; returns the run and the load figures. */
  async function underLoad(args: string[], env: Record<string, string> = {}) {
    const load = startLoad(addresses, { minimum: MIN_REQUESTS });
    const started = performance.now();
    const run = await cli(args, env);
    const seconds = (performance.now() - started) / 1000;
    const perHost = await load.stop();
    report(args.join(" "), seconds, perHost);
    return { run, perHost, seconds };
  }

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 3).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-deploy-"));
    await writeApp(lab, dir, { hosts: addresses, appVersion: "v1" });
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    await reloadProxyImage(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("setup on bare hosts boots kamal-proxy and v1 on every host", async () => {
    const run = await cli(["setup", "--version", "v1"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await versionsServed()).toEqual(["v1", "v1", "v1"]);
  });

  test("deploy of v2 under load: every request answered, traffic moves to v2", async () => {
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v2" });
    const push = await cli(["build", "push", "--version", "v2"]);
    expect(push.exitCode, push.stderr).toBe(0);

    const statsFile = join(dir, ".docker", "stats.json");
    const { run, perHost, seconds } = await underLoad(["deploy", "--skip-push", "--version", "v2"], { SEXTANT_STATS_FILE: statsFile });
    expect(run.exitCode, run.stderr).toBe(0);
    expectEveryRequestAnswered(perHost, ["v1", "v2"]);
    // One connection per host, and few exec sessions: steps are batched into scripts. The primary host also gets
    // the deploy lock's heartbeat, one session per HEARTBEAT_INTERVAL_SECONDS while the lock is held.
    const stats = JSON.parse(readFileSync(statsFile, "utf8")) as Record<string, { connects: number; execs: number }>;
    console.log(`SSH per host: ${JSON.stringify(stats)}`);
    const beats = Math.floor(seconds / HEARTBEAT_INTERVAL_SECONDS);
    for (const address of addresses) {
      expect(stats[address]?.connects).toBe(1);
      expect(stats[address]?.execs).toBeLessThanOrEqual(10 + (address === addresses[0] ? beats : 0));
    }
    expect(await versionsServed()).toEqual(["v2", "v2", "v2"]);
  });

  test("rollback to v1 under load: every request answered, traffic moves back to v1", async () => {
    const { run, perHost } = await underLoad(["rollback", "v1"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectEveryRequestAnswered(perHost, ["v1", "v2"]);
    expect(await versionsServed()).toEqual(["v1", "v1", "v1"]);
  });

  test("a v3 whose health check fails leaves v1 serving, frees the lock and prints the outcome table", async () => {
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v3", env: { UP_FAIL: "1" } });
    const run = await cli(["deploy", "--version", "v3"]);
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v1" });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^HOST +ROLE +OLD +NEW +RESULT +TIME$/m);
    for (const address of addresses) expect(run.stderr).toMatch(new RegExp(`^${address.replaceAll(".", "\\.")} +web +v1 +v3 +FAILED +\\d+\\.\\ds`, "m"));
    expect(await versionsServed()).toEqual(["v1", "v1", "v1"]);
    expect(await on(addresses[0] ?? "", `test -e .kamal/lock-${SERVICE} && echo held || echo free`)).toBe("free");
    for (const address of addresses)
      expect(await on(address, `docker ps --filter label=service=${SERVICE} --format '{{.Names}}'`)).toBe(`${SERVICE}-web-v1`);
  });

  test("of two concurrent deploys one proceeds and the other exits 3 naming the lock holder", async () => {
    // The first deploy holds the lock a little longer (its pre-deploy hook sleeps), so the second one, started
    // once the lock exists, finishes its pull while the first still holds it: no race between their pulls.
    const hook = join(dir, ".kamal/hooks/pre-deploy");
    mkdirSync(dirname(hook), { recursive: true });
    writeFileSync(hook, "#!/bin/sh\nsleep 4\n", { mode: 0o755 });
    try {
      const first = cli(["deploy", "--skip-push", "--version", "v1"]);
      await until(async () => (await on(addresses[0] ?? "", `test -d .kamal/lock-${SERVICE} && echo held || echo free`)) === "held");
      const second = await cli(["deploy", "--skip-push", "--version", "v1"]);
      const winner = await first;
      expect(winner.exitCode, winner.stderr).toBe(0);
      expect(second.exitCode, second.stderr).toBe(3);
      expect(second.stderr).toContain(`Locked by: ${GIT_USER} at `);
      expect(second.stderr).toContain("Message: Automatic deploy lock");
    } finally {
      rmSync(hook);
    }
    expect(await versionsServed()).toEqual(["v1", "v1", "v1"]);
  });

  test("app exec, app logs and details", async () => {
    const exec = await cli(["app", "exec", "--reuse", "cat /app/VERSION"]);
    expect(exec.exitCode, exec.stderr).toBe(0);
    console.log(`app exec --reuse:\n${exec.stdout}\n${exec.stderr}`);
    expect(exec.stdout.match(/^v1$/gm)?.length).toBe(3);

    const logs = await cli(["app", "logs", "--lines", "5"]);
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout + logs.stderr).toContain("sample-app v1 listening on 80");

    const details = await cli(["details"]);
    expect(details.exitCode, details.stderr).toBe(0);
    expect(details.stdout).toContain("kamal-proxy");
    expect(details.stdout).toContain(`${SERVICE}-web-v1`);
  });

  test("a deployed host matches Kamal's takeover checklist", async () => {
    const address = addresses[0] ?? "";
    const names = await on(address, "docker ps --format '{{.Names}}' | sort");
    expect(names.split("\n")).toEqual(["kamal-proxy", `${SERVICE}-web-v1`]);
    const labels = await on(address, `docker inspect --format '{{json .Config.Labels}}' ${SERVICE}-web-v1`);
    expect(JSON.parse(labels)).toMatchObject({ service: SERVICE, role: "web", destination: "" });
    // The latest tag follows the running version: current-container detection and prune rely on it.
    const image = `${lab.registry.name}/sextant-lab/${SERVICE}`;
    expect(await on(address, `docker image inspect --format '{{.Id}}' ${image}:latest`)).toBe(
      await on(address, `docker image inspect --format '{{.Id}}' ${image}:v1`),
    );
    expect(await on(address, `stat -c '%a' .kamal/apps/${SERVICE}/env/roles/web.env`)).toBe("600");
    expect(await on(address, `test -e .kamal/lock-${SERVICE} && echo held || echo gone`)).toBe("gone");

    const audit = (await on(address, `cat .kamal/${SERVICE}-audit.log`)).split("\n");
    const line = (what: string) => new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\] \\[deployer@lab\\.test\\] ${what}$`);
    expect(audit).toContainEqual(expect.stringMatching(line("Pulled image with version v1")));
    expect(audit).toContainEqual(expect.stringMatching(line("\\[web\\] Booted app version v2")));
    expect(audit).toContainEqual(expect.stringMatching(line(`Tagging ${image.replaceAll(".", "\\.")}:v1 as the latest image`)));

    const proxy = JSON.parse(await on(address, "docker inspect --format '{{json .}}' kamal-proxy")) as {
      HostConfig: { NetworkMode: string; RestartPolicy: { Name: string } };
      Mounts: { Name?: string; Source: string; Destination: string }[];
    };
    expect(proxy.HostConfig.NetworkMode).toBe("kamal");
    expect(proxy.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
    expect(proxy.Mounts).toContainEqual(expect.objectContaining({ Name: "kamal-proxy-config", Destination: "/home/kamal-proxy/.config/kamal-proxy" }));
    expect(proxy.Mounts).toContainEqual(expect.objectContaining({ Source: "/root/.kamal/proxy/apps-config", Destination: "/home/kamal-proxy/.apps-config" }));
    expect(await on(address, "docker exec kamal-proxy kamal-proxy list")).toContain(`${SERVICE}-web`);
  });

  test("remove leaves the hosts clean", async () => {
    const run = await cli(["remove", "-y"]);
    expect(run.exitCode, run.stderr).toBe(0);
    for (const address of addresses) {
      expect(await on(address, "docker ps --all --format '{{.Names}}'")).toBe("");
      expect(await on(address, `docker image ls --filter label=service=${SERVICE} --quiet`)).toBe("");
      expect(await on(address, `ls -A .kamal/apps 2>/dev/null; test -e .kamal/lock-${SERVICE} && echo lock || true`)).toBe("");
    }
  });
});

/** Polls `check` every 100 ms until it holds; fails after 30 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the first deploy to take the lock");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** No failed request on any host, at least MIN_REQUESTS each, and both versions answered (the switch happened under load). */
function expectEveryRequestAnswered(perHost: Map<string, HostLoad>, versions: string[]): void {
  for (const [address, load] of perHost) {
    expect({ address, failures: load.failures, errors: load.errors }).toEqual({ address, failures: 0, errors: [] });
    expect(load.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect([...load.versions.keys()].sort()).toEqual(versions);
  }
}

function report(what: string, seconds: number, perHost: Map<string, HostLoad>): void {
  const hosts = [...perHost].map(([a, l]) => `${a}: ${l.requests} requests, ${l.failures} failed, ${[...l.versions].map(([v, n]) => `${v}×${n}`).join(" ")}`);
  console.log(`sextant ${what}: ${seconds.toFixed(1)}s under load\n  ${hosts.join("\n  ")}`);
}
