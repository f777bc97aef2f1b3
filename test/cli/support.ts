// Runs the built CLI as a subprocess, the way users run it. The bundle is built into a temporary directory (with
// node_modules linked in for the external ssh2), never into dist/, so parallel test files never race on it: once
// per test run into the directory build-once.ts provides, or once per file outside a test run (the bench).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SHARED_BUILD_VARIABLE } from "./build-once.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The CLI built once for the test run (or for this file outside one); returns the path of its bin. */
export function buildCli(): { bin: string; cleanup: () => void } {
  const shared = process.env[SHARED_BUILD_VARIABLE];
  if (shared === undefined) return buildOwnCli();
  buildOnce(shared);
  // The run's global setup removes the shared build.
  return { bin: join(shared, "dist", "sextant.cjs"), cleanup: () => undefined };
}

/** A build of this file's own, for tests that change the files next to the bin (the launcher's code cache). */
export function buildOwnCli(): { bin: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cli-"));
  build(dir);
  return { bin: join(dir, "dist", "sextant.cjs"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function build(dir: string): void {
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const built = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), join(dir, "dist")], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);
}

const BUILD_WAIT_MS = 180_000;

/** The first file to get here builds (mkdir is the lock); the others wait for its marker, or its failure. */
function buildOnce(dir: string): void {
  const built = join(dir, "built");
  const failed = join(dir, "failed");
  if (existsSync(built)) return;
  try {
    mkdirSync(join(dir, "building"));
  } catch {
    const deadline = Date.now() + BUILD_WAIT_MS;
    while (!existsSync(built)) {
      if (existsSync(failed)) throw new Error(readFileSync(failed, "utf8"));
      if (Date.now() > deadline) throw new Error(`the shared CLI build in ${dir} did not finish within ${BUILD_WAIT_MS / 1000} s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    return;
  }
  try {
    build(dir);
  } catch (err) {
    writeFileSync(failed, err instanceof Error ? err.message : String(err));
    throw err;
  }
  writeFileSync(built, "");
}

export type Run = { code: number | null; stdout: string; stderr: string };

/** The environment tests run the CLI with: no colour detection surprises, no inherited lock, not in CI's output mode. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const dropped = ["FORCE_COLOR", "NO_COLOR", "KAMAL_LOCK", "VERSION", "VERBOSE", "CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"];
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !dropped.includes(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

export function runCli(
  bin: string,
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; onSpawn?: (pid: number) => void; shell?: string },
): Promise<Run> {
  return new Promise((done, fail) => {
    // `shell`: run this bash line instead, for pipes and redirections.
    const [file, argv] = opts.shell === undefined ? [process.execPath, [bin, ...args]] : ["/bin/bash", ["-c", opts.shell]];
    const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("spawn", () => child.pid !== undefined && opts.onSpawn?.(child.pid));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** A throwaway app directory with the given files (path → contents). */
export function appDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-app-"));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}
