import { execFile } from "node:child_process";
import type { CaptureResult } from "./local.ts";

/**
 * Runs one program directly (no shell, no execa) and captures its output; never throws for a non-zero exit, and a
 * program that is not installed exits 127 as it would under /bin/sh. For quick lookups on the startup path (who is
 * deploying), where loading execa would cost more than the process itself.
 */
export function captureFile(
  file: string,
  args: readonly string[],
  opts: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<CaptureResult> {
  const env = Object.fromEntries(Object.entries(opts.env).filter((e): e is [string, string] => e[1] !== undefined));
  return new Promise((resolve) => {
    execFile(file, args, { cwd: opts.cwd, env, encoding: "utf8" }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: exitCode(err) });
    });
  });
}

/** execFile's error: numeric `code` is the exit status, a string one (ENOENT) means it never started. */
function exitCode(err: (Error & { code?: number | string | null }) | null): number {
  if (err === null) return 0;
  if (typeof err.code === "number") return err.code;
  return err.code === "ENOENT" ? 127 : 1;
}
