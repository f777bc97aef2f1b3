// Runs the built CLI as a subprocess, the way users run it. Each test file builds its own bundle into a
// temporary directory (with node_modules linked in for the external ssh2), so parallel test files never race
// on dist/.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Builds the CLI once per test file; returns the path of its bin. */
export function buildCli(): { bin: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cli-"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const out = join(dir, "dist");
  const built = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), out], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);
  return { bin: join(out, "sextant.cjs"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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
