// Deploy timings on the lab for `npm run bench`: wall time of `sextant deploy --skip-push` to 1, 3 and 8 hosts
// (one web role behind kamal-proxy), where each host's time went (scripts/deploy-phases.ts), the SSH exec
// sessions each host saw (SEXTANT_STATS_FILE), and how much CPU the whole machine spent, since every lab host
// shares this machine's cores. Standalone: `tsx scripts/bench-deploy.ts [runs]`. It starts its own 8-host lab
// (replacing any running one) and removes it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { BenchRow, Sample } from "./bench.ts";
import { deployPhases, type PhaseTimes } from "./deploy-phases.ts";
import { buildCli } from "../test/cli/support.ts";
import { commitConfig, reloadProxyImage, sextant, writeApp, type Run } from "../test/integration/deploy-app.ts";
import { acquireLabLock, labSkipped, startLab, stopLab, type Lab } from "../test/integration/lab/lab.ts";
import { preflight } from "../test/integration/lab/preflight.ts";
import { labDir } from "../test/integration/lab/settings.ts";

const SIZES = [1, 3, 8] as const;
const MAX_SESSIONS = 10;
const MAX_RATIO = 1.3;

const statsSchema = z.record(z.string(), z.object({ connects: z.number(), execs: z.number() }));

type Cli = (args: string[], env?: Record<string, string>) => Promise<Run>;

export type DeployFigures = {
  hosts: number;
  wallMs: number[];
  sessions: number[];
  /** the share of all cores' time the machine was busy during each deploy */
  cpuBusy: number[];
  /** seconds per phase, one entry per host and run */
  phases: PhaseTimes;
};

/** Busy and total jiffies of the whole machine (/proc/stat), to tell a CPU-bound deploy from a waiting one. */
function machineCpu(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

type Deploy = { wallMs: number; sessions: number; cpuBusy: number; phases: PhaseTimes };

/** One deploy: its wall time, the most exec sessions any host needed, and its phases (from `--json -v`). */
async function timedDeploy(cli: Cli, dir: string, version: string): Promise<Deploy> {
  const statsFile = join(dir, "stats.json");
  const cpu0 = machineCpu();
  const t0 = performance.now();
  const run = await cli(["deploy", "--skip-push", "--version", version, "--json", "-v"], { SEXTANT_STATS_FILE: statsFile });
  const wallMs = performance.now() - t0;
  const cpu1 = machineCpu();
  const cpuBusy = (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total);
  if (run.exitCode !== 0) throw new Error(`sextant deploy exited ${run.exitCode}:\n${run.stderr}`);
  const stats = statsSchema.parse(JSON.parse(readFileSync(statsFile, "utf8")));
  return { wallMs, cpuBusy, sessions: Math.max(...Object.values(stats).map((s) => s.execs)), phases: deployPhases(run.stdout) };
}

/** Sets up v1 and v2 on the first `hosts` hosts, then alternates deploys between them (each one a real switch). */
async function benchSize(lab: Lab, bin: string, hosts: number, runs: number): Promise<DeployFigures> {
  const dir = mkdtempSync(join(tmpdir(), "sextant-bench-deploy-"));
  const addresses = lab.hosts.slice(0, hosts).map((h) => h.address);
  const cli: Cli = (args, env = {}) => sextant(lab, dir, args, { bin, env });
  try {
    await writeApp(lab, dir, { hosts: addresses, appVersion: "v2" });
    const push = await cli(["build", "push", "--version", "v2"]);
    if (push.exitCode !== 0) throw new Error(`sextant build push exited ${push.exitCode}:\n${push.stderr}`);
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v1" });
    const setup = await cli(["setup", "--version", "v1"]);
    if (setup.exitCode !== 0) throw new Error(`sextant setup exited ${setup.exitCode}:\n${setup.stderr}`);
    const figures: DeployFigures = { hosts, wallMs: [], sessions: [], cpuBusy: [], phases: new Map() };
    for (let i = 0; i < runs; i++) {
      const deploy = await timedDeploy(cli, dir, i % 2 === 0 ? "v2" : "v1");
      figures.wallMs.push(deploy.wallMs);
      figures.sessions.push(deploy.sessions);
      figures.cpuBusy.push(deploy.cpuBusy);
      for (const [phase, seconds] of deploy.phases) figures.phases.set(phase, [...(figures.phases.get(phase) ?? []), ...seconds]);
    }
    const remove = await cli(["remove", "-y"]);
    if (remove.exitCode !== 0) throw new Error(`sextant remove exited ${remove.exitCode}:\n${remove.stderr}`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every size on one fresh 8-host lab, which it removes afterwards. */
export async function benchDeploys(runs: number): Promise<DeployFigures[]> {
  const dir = labDir();
  const release = await acquireLabLock(dir, 10 * 60_000);
  // A build of our own: a concurrent `npm run build` must not swap dist/ under a running deploy.
  const build = buildCli();
  try {
    await stopLab(dir);
    const lab = await startLab({ dir, hosts: Math.max(...SIZES) });
    const results: DeployFigures[] = [];
    for (const size of SIZES) {
      results.push(await benchSize(lab, build.bin, size, runs));
      // `sextant remove` deleted the proxy image too, and lab hosts cannot pull it.
      await reloadProxyImage(lab);
    }
    return results;
  } finally {
    await stopLab(dir);
    release();
    build.cleanup();
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** CPU-seconds the whole machine spent during a deploy: lab hosts, registry and sextant alike. */
const cpuWork = (r: DeployFigures) => median(r.cpuBusy) * (median(r.wallMs) / 1000) * cpus().length;

/** Where each host's time went: the median seconds per host of each phase, a column per lab size. */
export function phaseTable(results: readonly DeployFigures[]): string[] {
  const names = [...new Set(results.flatMap((r) => [...r.phases.keys()]))];
  const width = Math.max(...names.map((n) => n.length), "phase (median s per host)".length);
  const header = `${"phase (median s per host)".padEnd(width)}${results.map((r) => `${r.hosts} host(s)`.padStart(11)).join("")}`;
  const rows = names.map((name) => {
    const cells = results.map((r) => {
      const seconds = r.phases.get(name);
      return (seconds ? median(seconds).toFixed(2) : "-").padStart(11);
    });
    return `${name.padEnd(width)}${cells.join("")}`;
  });
  return [header, ...rows];
}

/**
 * The targets (8 hosts within 1.3 × the 1-host time, at most 10 exec sessions per host), and the machine's part:
 * lab hosts share its cores, so a deploy that keeps them busy cannot take less than its CPU work over the cores.
 */
export function verdicts(results: readonly DeployFigures[]): string[] {
  const one = results.find((r) => r.hosts === 1);
  const eight = results.find((r) => r.hosts === 8);
  const lines: string[] = [];
  if (one && eight) {
    const ratio = median(eight.wallMs) / median(one.wallMs);
    lines.push(`deploy 8 hosts / 1 host: ${ratio.toFixed(2)} (target ≤ ${MAX_RATIO}) ${ratio <= MAX_RATIO ? "ok" : "OVER"}`);
    const floor = cpuWork(eight) / cpus().length;
    lines.push(
      `  the 8-host deploy made this machine do ${cpuWork(eight).toFixed(1)} CPU-s of work (1 host: ${cpuWork(one).toFixed(1)}); ` +
        `on ${cpus().length} cores that takes at least ${floor.toFixed(1)} s, ${(floor / (median(one.wallMs) / 1000)).toFixed(2)} × the 1-host time`,
    );
  }
  for (const r of results) {
    const most = Math.max(...r.sessions);
    lines.push(
      `deploy ${r.hosts} host(s): machine CPU ${(median(r.cpuBusy) * 100).toFixed(0)}% busy (all cores, ${cpuWork(r).toFixed(1)} CPU-s); ` +
        `at most ${most} SSH exec sessions per host (target ≤ ${MAX_SESSIONS}) ${most <= MAX_SESSIONS ? "ok" : "OVER"}`,
    );
  }
  return [...lines, "", ...phaseTable(results)];
}

/** `npm run bench` rows, measured up front on one lab; none when the lab can't run here. */
export async function deployRows(runs = 3): Promise<BenchRow[]> {
  if (labSkipped()) return [];
  try {
    preflight();
  } catch {
    return [];
  }
  const results = await benchDeploys(runs);
  for (const line of verdicts(results)) console.error(line);
  return results.map((r) => {
    const samples: Sample[] = r.wallMs.map((wallMs) => ({ wallMs }));
    return { name: `deploy --skip-push, ${r.hosts} lab host(s)`, runs, measure: () => samples.shift() };
  });
}

async function main(runs: number): Promise<void> {
  const results = await benchDeploys(runs);
  console.log("hosts  median wall (s)  runs (s)                 exec sessions per host (max)");
  for (const r of results)
    console.log(`${String(r.hosts).padStart(5)}  ${(median(r.wallMs) / 1000).toFixed(1).padStart(15)}  ${r.wallMs.map((w) => (w / 1000).toFixed(1)).join(" ").padEnd(23)}  ${r.sessions.join(" ")}`);
  for (const line of verdicts(results)) console.log(line);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(Number(process.argv[2] ?? 3)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
