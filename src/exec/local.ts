import { execa } from "execa";

export type CaptureResult = { readonly stdout: string; readonly stderr: string; readonly code: number };

/**
 * Runs one line of shell text with `/bin/sh -c`, the way Ruby's backticks and `$(...)` do: used by ERB backticks
 * in deploy.yml, `$(...)` in .kamal/secrets, secret adapters and hooks. Never throws for a non-zero exit.
 * `env` replaces the environment entirely (undefined values are dropped), so callers decide what leaks through.
 */
export async function shellCapture(
  command: string,
  opts: { cwd: string; env: Readonly<Record<string, string | undefined>>; stdin?: string; signal?: AbortSignal },
): Promise<CaptureResult> {
  const result = await execa("/bin/sh", ["-c", command], {
    cwd: opts.cwd,
    env: definedOnly(opts.env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    input: opts.stdin ?? "",
    cancelSignal: opts.signal,
  });
  if (result.exitCode === undefined && result.failed && !result.isCanceled && !result.isTerminated)
    return { stdout: "", stderr: result.shortMessage ?? "could not start /bin/sh", code: 127 };
  return { stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? ""), code: exitCode(result) };
}

/** A signal death maps to 128 + signal number, as a shell reports it. */
function exitCode(result: { exitCode?: number; signal?: string | undefined }): number {
  if (result.exitCode !== undefined) return result.exitCode;
  return 128 + (signalNumbers[result.signal ?? ""] ?? 1);
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };

export function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
