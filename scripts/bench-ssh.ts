// SSH figures on the lab for `npm run bench`: the time to open connections to 1, 3 and 8 lab hosts at once (one
// SshExecutor, handshake and key auth included), the wall time of `sextant server exec true` on as many, and the
// SSH connections and exec sessions per host that `server exec`, `lock acquire` and `prune all` need on 8 hosts
// (SEXTANT_STATS_FILE). Standalone: `tsx scripts/bench-ssh.ts [runs]`. It starts its own 8-host lab (replacing
// any running one) and removes it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { BenchRow, Sample } from "./bench.ts";
import type { Ssh } from "../src/config/model.ts";
import { SshExecutor } from "../src/exec/ssh.ts";
import { MemoryReporter } from "../test/exec/support.ts";
import { sextant, writeApp } from "../test/integration/deploy-app.ts";
import { acquireLabLock, labSkipped, startLab, stopLab, type Lab } from "../test/integration/lab/lab.ts";
import { preflight } from "../test/integration/lab/preflight.ts";
import { labDir } from "../test/integration/lab/settings.ts";

const SIZES = [1, 3, 8] as const;
/** The commands whose sessions are counted, each run once on every host of the lab; prune takes the lock itself. */
const COMMANDS: readonly (readonly string[])[] = [["server", "exec", "true"], ["prune", "all"], ["lock", "acquire", "-m", "bench"]];

const statsSchema = z.record(z.string(), z.object({ connects: z.number(), execs: z.number() }));

export type SshFigures = {
  /** per host count: milliseconds to have every connection open, one entry per run */
  connectMs: Map<number, number[]>;
  /** per host count: wall milliseconds of `sextant server exec true`, one entry per run */
  execMs: Map<number, number[]>;
  /** per command: the most connections and exec sessions any host saw */
  sessions: { command: string; connects: number; execs: number }[];
};

/** An executor for the lab's hosts with Kamal's sshkit defaults (30 handshakes at once), as a run builds it. */
export function labExecutor(lab: Lab, cwd: string): SshExecutor {
  const ssh: Ssh = {
    user: "root",
    port: 22,
    proxy: undefined,
    proxyCommand: undefined,
    logLevel: "fatal",
    keysOnly: undefined,
    keys: [lab.ssh.keyPath],
    keyData: undefined,
    config: [lab.ssh.configPath],
    forwardAgent: false,
  };
  return new SshExecutor({ reporter: new MemoryReporter(), ssh, sshkit: { maxConcurrentStarts: 30, poolIdleTimeout: 900, dnsRetries: 3 }, cwd, env: { HOME: cwd } });
}

/** One executor connecting to `hosts` in parallel, as a run does; resolves to the milliseconds until all are open. */
async function timeConnects(lab: Lab, hosts: readonly string[], cwd: string): Promise<number> {
  const ex = labExecutor(lab, cwd);
  try {
    const t0 = performance.now();
    await Promise.all(hosts.map((h) => ex.client(h)));
    return performance.now() - t0;
  } finally {
    await ex.close();
  }
}

/** Runs one command with SEXTANT_STATS_FILE and returns the most connections and sessions any host saw. */
async function countSessions(lab: Lab, dir: string, args: readonly string[]): Promise<{ connects: number; execs: number }> {
  const file = join(dir, "stats.json");
  const run = await sextant(lab, dir, args, { env: { SEXTANT_STATS_FILE: file } });
  if (run.exitCode !== 0) throw new Error(`sextant ${args.join(" ")} exited ${run.exitCode}:\n${run.stderr}`);
  const stats = Object.values(statsSchema.parse(JSON.parse(readFileSync(file, "utf8"))));
  return { connects: Math.max(...stats.map((s) => s.connects)), execs: Math.max(...stats.map((s) => s.execs)) };
}

/** Every figure on one fresh 8-host lab, which it removes afterwards. */
export async function benchSsh(runs: number): Promise<SshFigures> {
  const dir = labDir();
  const release = await acquireLabLock(dir, 10 * 60_000);
  const app = mkdtempSync(join(tmpdir(), "sextant-bench-ssh-"));
  try {
    await stopLab(dir);
    const lab = await startLab({ dir, hosts: Math.max(...SIZES) });
    const figures: SshFigures = { connectMs: new Map(), execMs: new Map(), sessions: [] };
    for (const size of SIZES) {
      const hosts = lab.hosts.slice(0, size).map((h) => h.address);
      await writeApp(lab, app, { hosts, appVersion: "v1" });
      const connects: number[] = [];
      const execs: number[] = [];
      for (let i = 0; i < runs; i++) {
        connects.push(await timeConnects(lab, hosts, app));
        const t0 = performance.now();
        const run = await sextant(lab, app, ["server", "exec", "true"]);
        if (run.exitCode !== 0) throw new Error(`sextant server exec exited ${run.exitCode}:\n${run.stderr}`);
        execs.push(performance.now() - t0);
      }
      figures.connectMs.set(size, connects);
      figures.execMs.set(size, execs);
      rmSync(app, { recursive: true, force: true });
    }
    await writeApp(lab, app, { hosts: lab.hosts.map((h) => h.address), appVersion: "v1" });
    for (const args of COMMANDS) figures.sessions.push({ command: args.slice(0, 2).join(" "), ...(await countSessions(lab, app, args)) });
    await countSessions(lab, app, ["lock", "release"]);
    return figures;
  } finally {
    rmSync(app, { recursive: true, force: true });
    await stopLab(dir);
    release();
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function sessionLines(figures: SshFigures): string[] {
  return figures.sessions.map((s) => `${s.command} on 8 lab hosts: ${s.connects} connection(s), ${s.execs} SSH exec session(s) per host (most)`);
}

/** `npm run bench` rows, measured up front on one lab; none when the lab can't run here. */
export async function sshRows(runs = 5): Promise<BenchRow[]> {
  if (labSkipped()) return [];
  try {
    preflight();
  } catch {
    return [];
  }
  const figures = await benchSsh(runs);
  for (const line of sessionLines(figures)) console.error(line);
  const row = (name: string, values: readonly number[] | undefined): BenchRow => {
    const samples: Sample[] = (values ?? []).map((wallMs) => ({ wallMs }));
    return { name, runs, measure: () => samples.shift() };
  };
  return SIZES.flatMap((n) => [
    row(`ssh connect, ${n} lab host(s) in parallel`, figures.connectMs.get(n)),
    row(`server exec true, ${n} lab host(s)`, figures.execMs.get(n)),
  ]);
}

async function main(runs: number): Promise<void> {
  const figures = await benchSsh(runs);
  console.log("hosts  connect median (ms)  runs (ms)                     server exec true median (ms)");
  for (const n of SIZES) {
    const c = figures.connectMs.get(n) ?? [];
    const e = figures.execMs.get(n) ?? [];
    console.log(`${String(n).padStart(5)}  ${median(c).toFixed(0).padStart(19)}  ${c.map((v) => v.toFixed(0)).join(" ").padEnd(28)}  ${median(e).toFixed(0).padStart(12)}`);
  }
  for (const line of sessionLines(figures)) console.log(line);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(Number(process.argv[2] ?? 5)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
