// The deploy lock's heartbeat on a real host: a deploy SIGKILLed while it holds the lock leaves the lock behind, as
// with Kamal; `lock status` and the next deploy say its holder is gone, and `deploy --lock-wait` takes it over. A
// lock written by Kamal's own commands (details only) reads as "unknown" and is never taken over, and Kamal's
// `lock release` removes sextant's heartbeat with the directory.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as lock from "../../src/commands/lock.ts";
import { render } from "../../src/commands/shell.ts";
import { configFromYaml } from "../support/config.ts";
import { buildCli } from "../cli/support.ts";
import { labAccess, sextant } from "./deploy-app.ts";
import { builderEnv, currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";
import { until } from "./until.ts";

const SERVICE = "sample-app";
const LOCK = `.kamal/lock-${SERVICE}`;

describe.skipIf(labSkipped())("a deploy lock whose holder was killed", () => {
  let lab: Lab;
  let dir: string;
  let address: string;
  let yaml: string;
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });
  const on = async (command: string) => (await execa("ssh", sshArgs(lab, address, command), { reject: false })).stdout;
  const hook = () => join(dir, ".kamal/hooks/pre-deploy");

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    address = lab.hosts[0]?.address ?? "";
    await resetHosts(lab);
    // The lab's prebuilt sample app, deployed with --skip-push: nothing is built here.
    yaml = `service: ${SERVICE}
image: ${lab.images.app.slice(lab.images.app.indexOf("/") + 1)}
servers:
  - ${address}
proxy:
  host: sample.test
  app_port: 80
${labAccess(lab)}builder:
  arch: amd64
deploy_timeout: 10
`;
    dir = mkdtempSync(join(tmpdir(), "sextant-lock-"));
    mkdirSync(join(dir, "config"), { recursive: true });
    mkdirSync(join(dir, ".docker"), { recursive: true });
    mkdirSync(join(dir, ".kamal/hooks"), { recursive: true });
    writeFileSync(join(dir, "config/deploy.yml"), yaml);
    writeFileSync(join(dir, ".kamal/secrets"), "LAB_PASSWORD=lab-password\n");
  }, 120_000);
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("SIGKILLed mid-deploy: alive while it beats, gone at once on its own machine, gone once silent elsewhere, taken over by --lock-wait", async () => {
    const version = lab.images.appVersions[0] ?? "v1";
    // The deploy holds the lock while its pre-deploy hook sleeps; it is killed there.
    writeFileSync(hook(), "#!/bin/sh\nsleep 60\n", { mode: 0o755 });
    const deploy = execa(process.execPath, [build.bin, "deploy", "--skip-push", "--version", version], {
      cwd: dir, reject: false, detached: true,
      env: { ...builderEnv(lab), DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1" },
    });
    try {
      await until(async () => (await on(`test -f ${LOCK}/heartbeat && echo yes`)) === "yes", 60_000);
      expect(await on(`cat ${LOCK}/heartbeat`)).toMatch(
        new RegExp(`^sextant machine=${hostname().replaceAll(".", "\\.")} pid=${deploy.pid} started=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
      // The holder refreshes the heartbeat (every 10 s) while it runs.
      const first = Number(await on(`stat -c %Y ${LOCK}/heartbeat`));
      await until(async () => Number(await on(`stat -c %Y ${LOCK}/heartbeat`)) > first, 25_000);
      const running = await cli(["lock", "status"]);
      expect(running.exitCode, running.stderr).toBe(0);
      expect(running.stdout).toMatch(new RegExp(`^Holder: sextant on .* \\(process ${deploy.pid}, since .*\\) is running \\(heartbeat \\d+ seconds? ago\\)$`, "m"));
    } finally {
      // The whole process group: sextant and the hook's sleep.
      if (deploy.pid !== undefined) process.kill(-deploy.pid, "SIGKILL");
      await deploy;
    }
    rmSync(hook());
    expect(await on(`test -d ${LOCK} && echo held`)).toBe("held");

    // The holder named this machine, and its process is gone: gone at once, whatever the heartbeat's age.
    const here = await cli(["lock", "status"]);
    expect(here.stdout).toMatch(new RegExp(`\\(process ${deploy.pid}, since .*\\) is gone \\(that process no longer runs on this machine; its heartbeat stopped \\d+ seconds? ago\\)$`, "m"));

    // Seen from elsewhere only the heartbeat tells: the holder line names another machine, and ten minutes of
    // silence on the host's clock (the mtime moved back, as a stopped holder leaves it).
    await on(`sed -i 's/machine=[^ ]*/machine=another-laptop/' ${LOCK}/heartbeat && touch -d @$(( $(date +%s) - 600 )) ${LOCK}/heartbeat`);
    const status = await cli(["lock", "status"]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain("Message: Automatic deploy lock");
    expect(status.stdout).toContain(`sextant on another-laptop (process ${deploy.pid}, since `);
    expect(status.stdout).toMatch(/is gone \(its heartbeat stopped 10 minutes ago\)$/m);

    const refused = await cli(["deploy", "--skip-push", "--version", version]);
    expect(refused.exitCode, refused.stderr).toBe(3);
    expect(refused.stderr).toContain("is gone (its heartbeat stopped 10 minutes ago)");

    const taken = await cli(["deploy", "--skip-push", "--version", version, "--lock-wait", "--lock-stale-after", "300"]);
    expect(taken.exitCode, taken.stderr).toBe(0);
    expect(taken.stderr).toContain(`Taking over the deploy lock of sextant on another-laptop (process ${deploy.pid}, since `);
    expect(taken.stderr).toContain("its heartbeat stopped 10 minutes ago, more than --lock-stale-after 300s");
    expect(await on(`test -e ${LOCK} && echo held || echo free`)).toBe("free");
  }, 180_000);

  test("a lock written by Kamal's commands is 'unknown' and never taken over", async () => {
    const config = configFromYaml(yaml, { version: "v1" });
    const details = { message: "Automatic deploy lock", version: "v1", lockedBy: "Kamal User", at: "2026-01-01T00:00:00Z" };
    await on(`mkdir -p .kamal && ${render(lock.acquire(config, details))}`);

    const status = await cli(["lock", "status"]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toBe("Locked by: Kamal User at 2026-01-01T00:00:00Z\nVersion: v1\nMessage: Automatic deploy lock\n" +
      "Holder: unknown (no heartbeat: a lock taken by Kamal, so nothing says whether it still runs)");

    const waited = await cli(["deploy", "--skip-push", "--version", "v1", "--lock-wait", "--lock-wait-timeout", "2",
      "--lock-wait-interval", "1", "--lock-stale-after", "0"]);
    expect(waited.exitCode, waited.stderr).toBe(3);
    expect(waited.stderr).toContain("Timed out after 2s waiting for the deploy lock");
    expect(waited.stderr).not.toContain("Taking over");
    expect(await on(`ls -A ${LOCK}; cat ${LOCK}/details | base64 -d`)).toBe(
      "details\nLocked by: Kamal User at 2026-01-01T00:00:00Z\nVersion: v1\nMessage: Automatic deploy lock");
    await on(render(lock.release(config)));
  });

  test("Kamal's lock release removes a sextant lock, heartbeat and all; a manual lock says it was taken by hand", async () => {
    const acquired = await cli(["lock", "acquire", "-m", "database migration", "--version", "v1"]);
    expect(acquired.exitCode, acquired.stderr).toBe(0);
    expect(await on(`ls -A ${LOCK}`)).toBe("details\nheartbeat");
    const status = await cli(["lock", "status"]);
    expect(status.stdout).toMatch(/^Holder: taken by hand by sextant on .* \(process \d+, since .*\); it stays until `lock release`$/m);

    const config = configFromYaml(yaml, { version: "v1" });
    const release = await execa("ssh", sshArgs(lab, address, render(lock.release(config))), { reject: false });
    expect(release.exitCode, release.stderr).toBe(0);
    expect(await on(`test -e ${LOCK} && echo held || echo free`)).toBe("free");
  });
});
