// `npm run bench`: median wall times of CLI startup and dry runs, next to their budgets. Lab rows (lab start,
// connection and deploy timings) plug in through scripts/bench-lab.ts: export `labRows(): Promise<BenchRow[]>`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** One run: wall time, and for processes the CPU time they used (user + system), which a busy machine distorts less. */
export type Sample = { readonly wallMs: number; readonly cpuMs?: number };

export type BenchRow = {
  readonly name: string;
  /** One timed run (a number is wall milliseconds); undefined when the row cannot run (yet), printed as n/a. */
  readonly measure: () => Promise<number | Sample | undefined> | number | Sample | undefined;
  /** the budget over the `node -e 0` median, in ms */
  readonly budgetOverNode?: number;
  /** how many runs the median is taken over; 10 by default */
  readonly runs?: number;
};

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BIN = join(ROOT, "dist/sextant.cjs");

// Preloaded into measured processes: records their CPU time on exit, bootstrap included, into $SEXTANT_BENCH_CPU.
const CPU_PROBE = `process.on("exit", () => {
  const u = process.cpuUsage();
  require("node:fs").appendFileSync(process.env.SEXTANT_BENCH_CPU, (u.user + u.system) / 1000 + "\\n");
});
`;

/**
 * The probe in `dir`: `args` go in front of a node process's own, and `cpuMs()` reads the CPU time the last
 * process run with them used (undefined when none finished).
 */
export function cpuProbe(dir: string): { args: string[]; env: Record<string, string>; cpuMs: () => number | undefined } {
  const probe = join(dir, ".cpu-probe.cjs");
  const record = join(dir, ".cpu-times");
  if (!existsSync(probe)) writeFileSync(probe, CPU_PROBE);
  writeFileSync(record, "");
  return {
    args: ["--require", probe],
    env: { SEXTANT_BENCH_CPU: record },
    cpuMs: () => {
      const cpu = Number(readFileSync(record, "utf8").trim().split("\n").at(-1));
      return Number.isFinite(cpu) ? cpu : undefined;
    },
  };
}

/** Wall and CPU time of one node process run from `dir` (which holds the probe); undefined if it failed. */
export function timeProcess(argv: readonly string[], dir: string, env: NodeJS.ProcessEnv = process.env): Sample | undefined {
  const probe = cpuProbe(dir);
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...probe.args, ...argv], { cwd: dir, env: { ...env, ...probe.env }, stdio: "ignore" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return run.status === 0 ? { wallMs, cpuMs: probe.cpuMs() } : undefined;
}

/** An app with 100 hosts in 5 roles and two accessories, so config loading and planning have real work to do. */
export function writeBigApp(dir: string): void {
  const roles: [string, number][] = [["web", 40], ["workers", 25], ["jobs", 15], ["cron", 10], ["admin", 10]];
  let n = 0;
  const servers = roles
    .map(([role, count]) => {
      const hosts = Array.from({ length: count }, () => {
        n++;
        return `      - 10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      });
      const cmd = role === "web" ? "" : `    cmd: bin/${role}\n`;
      return `  ${role}:\n    hosts:\n${hosts.join("\n")}\n${cmd}`;
    })
    .join("");
  mkdirSync(join(dir, "config"), { recursive: true });
  mkdirSync(join(dir, ".kamal"), { recursive: true });
  writeFileSync(
    join(dir, "config/deploy.yml"),
    `service: bench
image: acme/bench
servers:
${servers}proxy:
  host: bench.example.com
  app_port: 3000
registry:
  server: registry.example.com
  username: acme
  password: [KAMAL_REGISTRY_PASSWORD]
builder:
  arch: amd64
env:
  clear:
    RAILS_ENV: production
  secret: [DATABASE_PASSWORD]
accessories:
  db:
    image: postgres:16
    host: 10.0.9.1
    port: "127.0.0.1:5432:5432"
    env:
      secret: [DATABASE_PASSWORD]
    directories: ["data:/var/lib/postgresql/data"]
  redis:
    image: redis:7
    host: 10.0.9.2
aliases:
  console: app exec --interactive --reuse "bin/console"
`,
  );
  writeFileSync(join(dir, ".kamal/secrets"), "KAMAL_REGISTRY_PASSWORD=secret\nDATABASE_PASSWORD=secret\n");
}

/** Whether the built CLI has this command (rows for commands not built yet print n/a). */
function hasCommand(name: string, cwd: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync(process.execPath, [BIN, "help"], { cwd, env, encoding: "utf8" }).stdout.includes(`\n  ${name} `);
}

function cliRows(app: string): BenchRow[] {
  const env = { ...process.env, VERSION: "bench1", NO_COLOR: "1" };
  const cli = (args: string[]) => () => timeProcess([BIN, ...args], app, env);
  const deploy = hasCommand("deploy", app, env);
  return [
    { name: "node -e 0", measure: () => timeProcess(["-e", "0"], app) },
    { name: "sextant version", measure: cli(["version"]), budgetOverNode: 40 },
    { name: "sextant config (100 hosts, 5 roles)", measure: cli(["config"]), budgetOverNode: 80 },
    {
      name: "sextant deploy --dry-run (100 hosts, accessories)",
      measure: deploy ? cli(["deploy", "--dry-run"]) : () => undefined,
      budgetOverNode: 150,
    },
  ];
}

async function labRows(): Promise<BenchRow[]> {
  const file = join(ROOT, "scripts/bench-lab.ts");
  if (!existsSync(file)) return [];
  const mod = (await import(pathToFileURL(file).href)) as { labRows?: () => Promise<BenchRow[]> };
  return mod.labRows ? mod.labRows() : [];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

type Medians = { wallMs: number; cpuMs: number | undefined };

/**
 * Medians of every row, measured in rounds (each row once per round) rather than row after row: a machine that
 * speeds up or slows down during the bench then shifts every row alike, not only the rows measured at that time,
 * and the differences from `node -e 0` stay fair.
 */
async function mediansOf(rows: readonly BenchRow[]): Promise<(Medians | undefined)[]> {
  const samples = rows.map(() => ({ walls: [] as number[], cpus: [] as number[], failed: false }));
  const rounds = Math.max(...rows.map((row) => row.runs ?? 10));
  for (let round = 0; round < rounds; round++) {
    for (const [i, row] of rows.entries()) {
      const s = samples[i];
      if (!s || s.failed || round >= (row.runs ?? 10)) continue;
      const t = await row.measure();
      if (t === undefined) {
        s.failed = true;
        continue;
      }
      const sample = typeof t === "number" ? { wallMs: t } : t;
      s.walls.push(sample.wallMs);
      if (sample.cpuMs !== undefined) s.cpus.push(sample.cpuMs);
    }
  }
  return samples.map((s) =>
    s.failed ? undefined : { wallMs: median(s.walls), cpuMs: s.cpus.length === s.walls.length ? median(s.cpus) : undefined },
  );
}

const ms = (n: number | undefined, width: number) => (n === undefined ? "n/a" : `${n.toFixed(1)} ms`).padStart(width);

/** `ok`/`OVER` against the budget over node's own figure, with the difference. */
function verdict(value: number | undefined, node: number | undefined, budget: number | undefined): string {
  if (value === undefined || node === undefined || budget === undefined) return "";
  const extra = value - node;
  return `${extra <= budget ? "ok" : "OVER"} (+${extra.toFixed(1)})`;
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error("dist/sextant.cjs is missing: run `npm run build` first");
  const app = mkdtempSync(join(tmpdir(), "sextant-bench-"));
  try {
    writeBigApp(app);
    const rows = [...cliRows(app), ...(await labRows())];
    const medians = await mediansOf(rows);
    const results = rows.map((row, i) => [row, medians[i]] as const);
    const node = results[0]?.[1];
    // Wall times mean little on a busy machine; say how busy it was. CPU time is the steadier figure then.
    console.log(`load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores; medians of ${rows[0]?.runs ?? 10} runs\n`);
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`${"row".padEnd(width)}  ${"wall".padStart(10)}  ${"cpu".padStart(10)}  ${"budget".padEnd(16)}  wall verdict      cpu verdict`);
    for (const [row, m] of results) {
      const budget = row.budgetOverNode === undefined ? "" : `≤ node + ${row.budgetOverNode} ms`;
      const wall = verdict(m?.wallMs, node?.wallMs, row.budgetOverNode);
      const cpu = verdict(m?.cpuMs, node?.cpuMs, row.budgetOverNode);
      console.log(`${row.name.padEnd(width)}  ${ms(m?.wallMs, 10)}  ${ms(m?.cpuMs, 10)}  ${budget.padEnd(16)}  ${wall.padEnd(16)}  ${cpu}`.trimEnd());
    }
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
