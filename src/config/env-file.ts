// `--env-file PATH`: a Node-style `.env` (the dotenv package's format, as `node --env-file` reads it) loaded into
// the run's environment before config/deploy.yml's ERB and .kamal/secrets see it. Kamal 1 loaded `.env` itself;
// Kamal 2 dropped that, and .kamal/secrets, in the dotenv gem's dialect (dotenv.ts), is a different file with a
// different job: it names secrets, it is not loaded into the environment.
import { config } from "dotenv";
import { resolve } from "node:path";
import { UsageError } from "../errors.ts";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `env` with the variables of each file added, as `node --env-file` does: a variable already set in the
 * environment wins over every file (even when empty), and a later file wins over an earlier one. Values are
 * taken as written: no `${VAR}` expansion, no `$(...)`. Paths are relative to `cwd`, the directory sextant was
 * started in.
 */
export function withEnvFiles(env: Env, paths: readonly string[], cwd: string): Env {
  if (paths.length === 0) return env;
  const fromFiles: Record<string, string> = {};
  for (const path of paths) {
    // dotenv writes into `processEnv` rather than process.env, and reads the file itself.
    const values: Record<string, string> = {};
    const { error } = config({ path: resolve(cwd, path), processEnv: values, quiet: true });
    if (error) throw new UsageError(`--env-file ${path}: ${reason(error)}`, { hint: `check the path (relative to ${cwd}), or drop --env-file ${path}` });
    Object.assign(fromFiles, values);
  }
  const merged: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(fromFiles)) if (merged[name] === undefined) merged[name] = value;
  return merged;
}

function reason(error: Error & { code?: string }): string {
  if (error.code === "ENOENT") return "no such file";
  if (error.code === "EISDIR") return "is a directory, not a file";
  if (error.code === "EACCES") return "permission denied";
  return error.message;
}
