// `npm run demo`: a zero-downtime deploy on throwaway local hosts. Starts (or reuses) a 2-host lab, writes a small
// app into a temp directory, runs `sextant setup` (v1), then `sextant deploy` (v2) while requests keep hitting
// both hosts, and counts the failed ones. The lab stays up afterwards so the printed curl lines work;
// `npm run lab:down` removes it. Needs Linux, root and `bash scripts/install-lab.sh` (run once).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_HOST, commitConfig, getPage, pageVersion, SEXTANT, startLoad, writeApp } from "../test/integration/deploy-app.ts";
import { acquireLabLock, builderEnv, labStatus, resetHosts, startLab, type Lab } from "../test/integration/lab/lab.ts";
import { labDir } from "../test/integration/lab/settings.ts";

const HOSTS = Number(process.env.SEXTANT_LAB_HOSTS ?? 2);

const say = (text: string) => console.log(`\n\x1b[1m==> ${text}\x1b[0m`);

/** A lab of HOSTS hosts: the running one if it has that many, otherwise a new one that stays up. */
async function lab(): Promise<Lab> {
  const status = labStatus();
  if (status.running && status.lab?.hosts.length === HOSTS) {
    say(`Reusing the running ${HOSTS}-host lab (cleaning its hosts)`);
    await resetHosts(status.lab);
    return status.lab;
  }
  say(`Starting a lab of ${HOSTS} hosts: each a network namespace with its own sshd and dockerd, plus a registry`);
  return startLab({ hosts: HOSTS, keep: true, log: (line) => console.log(`   lab: ${line}`) });
}

/** Runs the built CLI in the app directory with its output on this terminal; rejects on a non-zero exit. */
function sextant(lab: Lab, dir: string, args: string[]): Promise<void> {
  console.log(`   $ sextant ${args.join(" ")}`);
  const child = spawn(process.execPath, [SEXTANT, ...args], {
    cwd: dir,
    stdio: "inherit",
    env: { ...process.env, ...builderEnv(lab), DOCKER_CONFIG: join(dir, ".docker") },
  });
  return new Promise((ok, fail) => {
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`sextant ${args[0]} exited ${code}`))));
  });
}

async function showPages(lab: Lab): Promise<void> {
  for (const host of lab.hosts) console.log(`   ${host.name} (${host.address}): version ${pageVersion(await getPage(host.address))}`);
}

async function main(): Promise<void> {
  const release = await acquireLabLock(labDir(), 5 * 60_000, (pid) => console.log(`waiting for process ${pid}, which is using the lab`));
  try {
    const theLab = await lab();
    const dir = mkdtempSync(join(tmpdir(), "sextant-demo-"));
    const addresses = theLab.hosts.map((h) => h.address);

    say(`Writing an app to ${dir}: config/deploy.yml, .kamal/secrets and the sample app, in a git repo`);
    await writeApp(theLab, dir, { appVersion: "v1" });

    say("sextant setup: boot kamal-proxy and v1 on every host (the image builds on the lab's build daemon)");
    await sextant(theLab, dir, ["setup"]);
    await showPages(theLab);

    say("Changing the app to v2 and deploying it while requests keep hitting every host");
    await commitConfig(theLab, dir, { appVersion: "v2" });
    const load = startLoad(addresses, { minimum: 500, workers: 2 });
    await sextant(theLab, dir, ["deploy"]);
    for (const [address, l] of await load.stop()) {
      const versions = [...l.versions].map(([v, n]) => `${n} from ${v}`).join(", ");
      console.log(`   ${address}: ${l.requests} requests across the deploy, ${l.failures} failed (${versions})`);
      if (l.failures > 0) process.exitCode = 1;
    }
    await showPages(theLab);

    say("Try it yourself (the lab stays up; `npm run lab:down` removes it)");
    for (const address of addresses) console.log(`   curl -H 'Host: ${APP_HOST}' http://${address}/`);
    const env = Object.entries(builderEnv(theLab)).map(([k, v]) => `${k}=${v}`).join(" ");
    console.log(`   cd ${dir} && ${env} DOCKER_CONFIG=${join(dir, ".docker")} node ${SEXTANT} details`);
    console.log(`   ssh -F ${theLab.ssh.configPath} root@${addresses[0]} docker ps`);
  } finally {
    release();
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
