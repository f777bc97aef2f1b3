// Faults injected for real on three lab hosts while a deploy of v2 replaces v1: sextant SIGKILLed mid-boot, a
// host's dockerd stopped, the registry refusing the pull, a host's disk full during the pull, and one host's SSH
// connection cut during boot. Each ends with every host answering through its proxy and the deploy lock in a known
// state, and pins the user-facing lines (timings, ids and process numbers normalised).
import { execa } from "execa";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { getPage, GIT_USER, labAccess, pageVersion, sextant } from "./deploy-app.ts";
import { blockTcp } from "./lab/blocked-traffic.ts";
import { fillPullSpace } from "./lab/full-disk.ts";
import { startDockerd, stopDockerd } from "./lab/host-dockerd.ts";
import { builderEnv, currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";
import { until } from "./until.ts";

const SERVICE = "sample-app";

describe.skipIf(labSkipped())("faults during a deploy of v2 over v1, on three lab hosts", () => {
  let lab: Lab;
  let dir: string;
  let addresses: string[];
  let build: { bin: string; cleanup: () => void };
  const [v1, v2] = ["v1", "v2"];
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });
  const deployV2 = () => cli(["deploy", "--skip-push", "--version", v2]);
  const versions = () => Promise.all(addresses.map(async (a) => pageVersion(await getPage(a))));
  const lockState = () => (existsSync(join(lab.hosts[0]?.home ?? "", `.kamal/lock-${SERVICE}`)) ? "held" : "free");
  const hook = (name: string) => join(dir, ".kamal/hooks", name);

  /** The app's config; `env` reaches the app containers (UP_DELAY slows the health check). */
  const writeConfig = (env: Record<string, string> = {}) => {
    const clear = Object.entries(env).map(([k, v]) => `    ${k}: "${v}"`).join("\n");
    writeFileSync(join(dir, "config/deploy.yml"), `service: ${SERVICE}
image: ${lab.images.app.slice(lab.images.app.indexOf("/") + 1)}
servers:
${addresses.map((a) => `  - ${a}`).join("\n")}
proxy:
  host: sample.test
  app_port: 80
${labAccess(lab)}builder:
  arch: amd64
deploy_timeout: 10
${clear ? `env:\n  clear:\n${clear}\n` : ""}`);
  };

  /**
   * Makes the deploy stop at `name` (a hook) until `resume`: the test injects its fault there, at a known point of
   * the deploy, instead of racing it.
   */
  const pauseAt = (name: string) => {
    const reached = join(dir, `reached-${name}`);
    const resume = join(dir, `resume-${name}`);
    writeFileSync(hook(name), `#!/bin/sh\ntouch ${reached}\nwhile [ ! -e ${resume} ]; do sleep 0.1; done\n`, { mode: 0o755 });
    return {
      reached: () => until(async () => existsSync(reached), 60_000),
      resume: () => writeFileSync(resume, ""),
    };
  };

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 3).map((h) => h.address);
    dir = mkdtempSync(join(tmpdir(), "sextant-faults-"));
    mkdirSync(join(dir, "config"), { recursive: true });
    mkdirSync(join(dir, ".docker"), { recursive: true });
    mkdirSync(join(dir, ".kamal/hooks"), { recursive: true });
    writeFileSync(join(dir, ".kamal/secrets"), "LAB_PASSWORD=lab-password\n");
    // `rollback VERSION` reads the config's own version for its lock, as Kamal's does: from git.
    const git = (...args: string[]) => execa("git", args, { cwd: dir });
    await git("init", "-q", "-b", "main");
    await git("config", "user.name", GIT_USER);
    await git("config", "user.email", "deployer@lab.test");
    await git("commit", "-q", "--allow-empty", "-m", "app");
  }, 120_000);
  beforeEach(async () => {
    await resetHosts(lab);
    writeConfig();
    const first = await cli(["deploy", "--skip-push", "--version", v1]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(await versions()).toEqual([v1, v1, v1]);
  }, 120_000);
  afterEach(() => {
    rmSync(join(dir, ".kamal/hooks"), { recursive: true, force: true });
    mkdirSync(join(dir, ".kamal/hooks"), { recursive: true });
    for (const name of ["pre-deploy", "pre-app-boot"])
      for (const marker of [`reached-${name}`, `resume-${name}`]) rmSync(join(dir, marker), { force: true });
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("sextant SIGKILLed while v2 is being health-checked: every host answers, the next deploy calls the lock's holder gone, --lock-wait takes it over and deploys", async () => {
    writeConfig({ UP_DELAY: "3" });
    const host1 = lab.hosts[0]?.dockerHost ?? "";
    const deploy = execa(process.execPath, [build.bin, "deploy", "--skip-push", "--version", v2], {
      cwd: dir, reject: false, detached: true,
      env: { ...builderEnv(lab), DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1" },
    });
    try {
      // The new container runs on host-1 and kamal-proxy waits for its slow /up: mid-boot.
      await until(async () => (await execa(lab.builder.dockerBin, ["-H", host1, "ps", "--quiet", "--filter", `name=^${SERVICE}-web-${v2}$`])).stdout !== "", 60_000);
    } finally {
      if (deploy.pid !== undefined) process.kill(-deploy.pid, "SIGKILL");
      await deploy;
    }
    expect((await deploy).signal).toBe("SIGKILL");
    for (const version of await versions()) expect([v1, v2]).toContain(version);
    expect(lockState()).toBe("held");

    const next = await deployV2();
    expect(next.exitCode, next.stderr).toBe(3);
    expect(normalised(next.stderr)).toMatchInlineSnapshot(`
      "▸ Pull app image... +<t>
      ▸ Acquiring the deploy lock... +<t>
      [10.213.0.11]  warning: Deploy lock already in place!
      [10.213.0.11]  Locked by: <user> at <time>
      [10.213.0.11]  Version: v2
      [10.213.0.11]  Message: Automatic deploy lock
      [10.213.0.11]  Holder: sextant on <machine> (process <pid>, since <time>) is gone (that process no longer runs on this machine; its heartbeat stopped <t> ago)
        Finished all in <t>
      ✗ Deploy lock found on 10.213.0.11:
          Locked by: <user> at <time>
          Version: v2
          Message: Automatic deploy lock
          Holder: sextant on <machine> (process <pid>, since <time>) is gone (that process no longer runs on this machine; its heartbeat stopped <t> ago)
        fix: its holder stopped: pass --lock-wait to take it over (once its heartbeat is <t> old), or run \`sextant lock release\`"
    `);

    // The one-command way back the message names: --lock-wait takes the dead holder's lock over and deploys.
    writeConfig();
    const recovered = await cli(["deploy", "--skip-push", "--version", v2, "--lock-wait", "--lock-wait-interval", "5"]);
    expect(recovered.exitCode, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(/warning: Taking over the deploy lock of sextant on \S+ \(process \d+, since \S+\): that process no longer runs on this machine/);
    expect(await versions()).toEqual([v2, v2, v2]);
    expect(lockState()).toBe("free");
  }, 120_000);

  test("host-2's dockerd stopped after the pull: hosts 1 and 3 switch, host-2 fails with docker's reason, the lock is released", async () => {
    const pause = pauseAt("pre-deploy");
    const run = deployV2();
    await pause.reached();
    await stopDockerd(lab, "host-2");
    pause.resume();
    const failed = await run;
    try {
      expect(failed.exitCode, failed.stderr).toBe(1);
      expect(normalised(failed.stderr)).toMatchInlineSnapshot(`
        "▸ Pull app image... +<t>
        ▸ Acquiring the deploy lock... +<t>
        ▸ Running the pre-deploy hook... +<t>
        ▸ Ensure kamal-proxy is running... +<t>
        ▸ Detect stale containers... +<t>
        ▸ Start container with version v2 (or reboot if already running)... +<t>
        ▸ Prune old containers and images... +<t>
        HOST         ROLE  OLD  NEW  RESULT  TIME
        10.213.0.11  web   v1   v2   ok      <t>
        10.213.0.12  web   -    v2   FAILED  <t>  [10.213.0.12] docker container start kamal-proxy || echo $(cat .kamal/proxy/options 2> /dev/null || echo "--publish 80:80 --publish 443:443 --log-opt max-size=10m") $(cat .kamal/proxy/image 2> /dev/null || echo "basecamp/kamal-proxy"):$(cat .kamal/proxy/image_version 2> /dev/null || echo "v0.9.2") $(cat .kamal/proxy/run_command 2> /dev/null || echo "") | xargs docker run --name kamal-proxy --network kamal --detach --restart unless-stopped --volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config exited 123: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?
        10.213.0.13  web   v1   v2   ok      <t>
        warning: 2 of 3 containers now run v2; to bring every host back to one version run: sextant rollback v1
          Finished all in <t>
        ✗ [10.213.0.12] docker container start kamal-proxy || echo $(cat .kamal/proxy/options 2> /dev/null || echo "--publish 80:80 --publish 443:443 --log-opt max-size=10m") $(cat .kamal/proxy/image 2> /dev/null || echo "basecamp/kamal-proxy"):$(cat .kamal/proxy/image_version 2> /dev/null || echo "v0.9.2") $(cat .kamal/proxy/run_command 2> /dev/null || echo "") | xargs docker run --name kamal-proxy --network kamal --detach --restart unless-stopped --volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config exited 123: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?
          Error: failed to start containers: kamal-proxy
          docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?.
          See 'docker run --help'.
          fix: docker is not running on that host: start it there (\`sudo systemctl start docker\`), then run the command again"
      `);
      expect(lockState()).toBe("free");
      const answering = [addresses[0], addresses[2]].map(async (a) => pageVersion(await getPage(a ?? "")));
      expect(await Promise.all(answering)).toEqual([v2, v2]);
    } finally {
      await startDockerd(lab, "host-2");
    }
    // Its containers restart with dockerd (restart policy unless-stopped): host-2 serves v1 again, then converges.
    await until(async () => (await getPage(addresses[1] ?? "").catch(() => "")) !== "", 30_000);
    expect(await versions()).toEqual([v2, v1, v2]);
    const again = await deployV2();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await versions()).toEqual([v2, v2, v2]);
  }, 120_000);

  test("the registry refusing the image during the pull: nothing switches, the lock was never taken", async () => {
    // docker login's GET /v2/ still answers; the pull's manifest request is reset.
    const unblock = await blockTcp("registry", 5000, "/manifests/");
    const failed = await deployV2().finally(unblock);
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(normalised(failed.stderr)).toMatchInlineSnapshot(`
      "▸ Pull app image... +<t>
        Finished all in <t>
      ✗ failed on 3 hosts:
          [10.213.0.11] docker pull registry.test:5000/sextant-lab/sample-app:v2 exited 1: Error response from daemon: Head "http://registry.test:5000/v2/sextant-lab/sample-app/manifests/v2": read tcp 10.213.0.11:<port>->10.213.0.2:5000: read: connection reset by peer
          [10.213.0.12] docker pull registry.test:5000/sextant-lab/sample-app:v2 exited 1: Error response from daemon: Head "http://registry.test:5000/v2/sextant-lab/sample-app/manifests/v2": read tcp 10.213.0.12:<port>->10.213.0.2:5000: read: connection reset by peer
          [10.213.0.13] docker pull registry.test:5000/sextant-lab/sample-app:v2 exited 1: Error response from daemon: Head "http://registry.test:5000/v2/sextant-lab/sample-app/manifests/v2": read tcp 10.213.0.13:<port>->10.213.0.2:5000: read: connection reset by peer"
    `);
    expect(await versions()).toEqual([v1, v1, v1]);
    expect(lockState()).toBe("free");
  }, 120_000);

  test("host-2's disk full during the pull: nothing switches, the lock was never taken", async () => {
    // v2's own layer must be downloaded on host-2, so its image goes first (v1 shares the rest and keeps running).
    const host2 = lab.hosts[1]?.dockerHost ?? "";
    await execa(lab.builder.dockerBin, ["-H", host2, "image", "rm", "--force", `${lab.images.app}:${v2}`], { reject: false });
    const free = await fillPullSpace(lab, "host-2");
    const failed = await deployV2().finally(free);
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(normalised(failed.stderr)).toMatchInlineSnapshot(`
      "▸ Pull app image... +<t>
        Finished all in <t>
      ✗ [10.213.0.12] docker pull registry.test:5000/sextant-lab/sample-app:v2 exited 1: write /var/lib/docker/tmp/GetImageBlob<n>: no space left on device"
    `);
    expect(await versions()).toEqual([v1, v1, v1]);
    expect(lockState()).toBe("free");
  }, 120_000);

  test("host-3's SSH connection cut during boot: hosts 1 and 2 finish, the warning counts 3, `rollback v1` brings all back", async () => {
    const pause = pauseAt("pre-app-boot");
    const run = deployV2();
    await pause.reached();
    const unblock = await blockTcp("host-3", 22);
    pause.resume();
    const failed = await run.finally(unblock);
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(normalised(failed.stderr)).toMatchInlineSnapshot(`
      "▸ Pull app image... +<t>
      ▸ Acquiring the deploy lock... +<t>
      ▸ Ensure kamal-proxy is running... +<t>
      ▸ Detect stale containers... +<t>
      ▸ Start container with version v2 (or reboot if already running)... +<t>
      ▸ Running the pre-app-boot hook... +<t>
      ▸ Prune old containers and images... +<t>
      HOST         ROLE  OLD  NEW  RESULT  TIME
      10.213.0.11  web   v1   v2   ok      <t>
      10.213.0.12  web   v1   v2   ok      <t>
      10.213.0.13  web   -    v2   FAILED  <t>  [10.213.0.13] docker network create kamal did not finish: the connection closed before the command finished
      warning: 2 of 3 containers now run v2; to bring every host back to one version run: sextant rollback v1
        Finished all in <t>
      ✗ [10.213.0.13] docker network create kamal did not finish: the connection closed before the command finished"
    `);
    expect(await versions()).toEqual([v2, v2, v1]);
    expect(lockState()).toBe("free");

    const back = await cli(["rollback", v1]);
    expect(back.exitCode, back.stderr).toBe(0);
    expect(await versions()).toEqual([v1, v1, v1]);
    expect(lockState()).toBe("free");
  }, 120_000);
});

/** stderr with what changes between runs replaced: durations, ids, process numbers, clock times, ports, temp names. */
function normalised(stderr: string): string {
  return hostRowsInOrder(stderr)
    .replace(/\b\d+(\.\d+)? ?(s|seconds?|ms)\b/g, "<t>")
    .replace(/\b[0-9a-f]{12,64}\b/g, "<id>")
    .replace(/process \d+/g, "process <pid>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
    .replace(/sextant on \S+ /g, "sextant on <machine> ")
    .replace(/Locked by: .* at /g, "Locked by: <user> at ")
    .replace(/:\d+->/g, ":<port>->")
    .replace(/GetImageBlob\d+/g, "GetImageBlob<n>");
}

/** The outcome table lists hosts as they finish; sorted by address, its rows read the same on every run. */
function hostRowsInOrder(stderr: string): string {
  const lines = stderr.split("\n");
  const rows = lines.flatMap((l, i) => (/^10\.213\.0\.\d+ /.test(l) ? [i] : []));
  const sorted = rows.map((i) => lines[i] ?? "").sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  rows.forEach((at, k) => (lines[at] = sorted[k] ?? ""));
  return lines.join("\n");
}
