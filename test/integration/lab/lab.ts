import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { isAlive } from "./processes.ts";
import { startLab as start } from "./start.ts";
import { hostCount, labDir } from "./settings.ts";
import { readState, type Lab } from "./state.ts";
import { teardown } from "./teardown.ts";

// The lab's API for tests and scripts; README.md next to this file documents it.

export type { Lab } from "./state.ts";
export { LabUnavailableError } from "./preflight.ts";
export { acquireLabLock } from "./lock.ts";

/** True when SEXTANT_SKIP_LAB=1: integration tests skip themselves (`describe.skipIf(labSkipped())`). */
export function labSkipped(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SEXTANT_SKIP_LAB === "1";
}

/** The running lab's description; throws when no lab is up in `dir`. */
export function currentLab(dir = labDir()): Lab {
  const state = readState(dir);
  if (!state?.ready || !state.lab)
    throw new Error(`no lab is running in ${dir}: run integration tests through vitest, or \`npm run lab:up\``);
  return state.lab;
}

/** Starts a fresh lab (removing any earlier one in `dir`) and returns its description. Hold the lab lock. */
export function startLab(
  opts: { dir?: string; hosts?: number; keep?: boolean; rttMs?: number; log?: (line: string) => void } = {},
): Promise<Lab> {
  return start({ dir: opts.dir ?? labDir(), hosts: opts.hosts ?? hostCount(), keep: opts.keep ?? false, rttMs: opts.rttMs, log: opts.log });
}

/** Stops the lab in `dir` and removes everything it created (keys and image cache stay). Hold the lab lock. */
export function stopLab(dir = labDir()): Promise<void> {
  return teardown(dir);
}

export type LabStatus = { running: boolean; keep: boolean; lab: Lab | null; processes: { pid: number; alive: boolean }[] };

export function labStatus(dir = labDir()): LabStatus {
  const state = readState(dir);
  const processes = (state?.resources.processes ?? []).map((p) => ({ pid: p.pid, alive: isAlive(p) }));
  const running = Boolean(state?.ready) && processes.length > 0 && processes.every((p) => p.alive);
  return { running, keep: state?.keep ?? false, lab: state?.lab ?? null, processes };
}

/** Arguments for the plain `ssh` binary to run `command` on `host` (name or address) as the lab's root. */
export function sshArgs(lab: Lab, host: string, command: string): string[] {
  const target = lab.hosts.find((h) => h.name === host || h.address === host);
  if (!target) throw new Error(`no lab host ${host}; hosts: ${lab.hosts.map((h) => h.name).join(", ")}`);
  return ["-F", lab.ssh.configPath, `${lab.ssh.user}@${target.address}`, command];
}

/** Environment for a docker client that should talk to the build daemon (`docker build`, `docker push`). */
export function builderEnv(lab: Lab): Record<string, string> {
  return { DOCKER_HOST: lab.builder.dockerHost };
}

/**
 * Returns hosts to a freshly started state between tests: removes every container, network, volume and file in
 * /root except ~/.ssh, keeps images, and loads the proxy stand-in again where a test removed it (as
 * `kamal remove` does).
 */
export async function resetHosts(lab: Lab): Promise<void> {
  await Promise.all(
    lab.hosts.map(async (host) => {
      const docker = (...args: string[]) => execa(lab.builder.dockerBin, ["-H", host.dockerHost, ...args]);
      const ids = (await docker("ps", "--all", "--quiet")).stdout.split("\n").filter(Boolean);
      if (ids.length) await docker("rm", "--force", "--volumes", ...ids);
      await docker("network", "prune", "--force");
      await docker("volume", "prune", "--force");
      for (const entry of fs.readdirSync(host.home))
        if (entry !== ".ssh") fs.rmSync(path.join(host.home, entry), { recursive: true, force: true });
      const { proxy, proxyArchive } = lab.images;
      if (proxy && proxyArchive && (await docker("image", "ls", "--quiet", proxy)).stdout === "")
        await docker("load", "--quiet", "--input", proxyArchive);
    }),
  );
}
