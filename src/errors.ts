// Every error a user can fix is a SextantError: it says where, what, and the fix (hint).
// Anything else that reaches bin/ is a bug in sextant.
import { dockerOnHostHint } from "./diagnose/docker-on-host.ts";

export class SextantError extends Error {
  readonly exitCode: number = 1;
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** One problem found in a config or secrets file: where it is, what is wrong, and how to fix it. */
export type Issue = {
  readonly file: string;
  /** Kamal-style key path, e.g. `servers/web/hosts/0`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
  readonly line?: number;
  readonly column?: number;
};

export class ConfigError extends SextantError {
  override readonly exitCode: number = 2;
  readonly issues: readonly Issue[];
  /** what loading noticed before it failed (an ERB command that exited non-zero), often the reason for an issue */
  readonly warnings: readonly string[];
  constructor(issues: readonly Issue[], options: { cause?: unknown; warnings?: readonly string[] } = {}) {
    super(issues.map(formatIssue).join("\n"), options);
    this.issues = issues;
    this.warnings = options.warnings ?? [];
  }
}

export class UsageError extends SextantError {
  override readonly exitCode: number = 2;
}

export class LockHeldError extends SextantError {
  override readonly exitCode: number = 3;
}

export class InterruptedError extends SextantError {
  override readonly exitCode: number = 130;
}

/** A command on a host (or `local`) exited non-zero or could not be started. */
export class RemoteCommandError extends SextantError {
  readonly host: string;
  readonly command: string;
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
  constructor(
    host: string,
    command: string,
    result: { code: number | null; stdout?: string; stderr?: string },
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const stderr = result.stderr ?? "";
    const tail = lastLines(stderr.trim() || (result.stdout ?? "").trim(), 5);
    const hint = options.hint ?? dockerOnHostHint(host, `${stderr}\n${result.stdout ?? ""}`);
    super(`[${host}] ${command} ${result.code === null ? "did not finish" : `exited ${result.code}`}${tail ? `: ${tail}` : ""}`, { ...options, hint });
    this.host = host;
    this.command = command;
    this.code = result.code;
    this.stderr = stderr;
    this.stdout = result.stdout ?? "";
  }
}

/** Work across several hosts failed on some of them; every host was allowed to finish first. */
export class HostsFailedError extends SextantError {
  readonly failures: ReadonlyMap<string, Error>;
  constructor(failures: ReadonlyMap<string, Error>) {
    const first = [...failures.values()][0];
    const groups = sameFailures(failures);
    // One fix for all is printed at the end; different fixes are printed each under its failure.
    const hints = new Set(groups.flatMap((g) => (g.hint ? [g.hint] : [])));
    const hint = hints.size === 1 ? [...hints][0] : undefined;
    const line = (g: FailureGroup) => `${g.message}${g.hint && hints.size > 1 ? `\n    fix: ${g.hint}` : ""}`;
    const only = groups.length === 1 ? groups[0] : undefined;
    super(only ? only.message : `failed on ${failures.size} hosts:\n${groups.map((g) => `  ${line(g)}`).join("\n")}`, { hint, cause: first });
    this.failures = failures;
  }
}

/**
 * Logs could not be followed on some hosts. Ctrl-C is how following logs ends, so unlike other failures this one
 * is not replaced by the interrupt (src/cli/execute.ts): the run still exits 1 and lists the hosts.
 */
export class LogsNotFollowedError extends HostsFailedError {}

type FailureGroup = { readonly message: string; readonly hint: string | undefined };

/**
 * One entry per distinct failure: `[host] message`, or `4 hosts (a, b, c, d): message` when several hosts failed
 * the same way (a message that names its host is never shared). In the order the hosts were given.
 */
function sameFailures(failures: ReadonlyMap<string, Error>): FailureGroup[] {
  const groups = new Map<string, { hosts: string[]; message: string; hint: string | undefined }>();
  for (const [host, err] of failures) {
    const hint = err instanceof SextantError ? err.hint : undefined;
    const key = err.message.startsWith(`[${host}]`) ? `${host}\0` : `\0${err.message}\0${hint ?? ""}`;
    const group = groups.get(key) ?? { hosts: [], message: err.message, hint };
    group.hosts.push(host);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ hosts, message, hint }) => ({ message: `${whichHosts(hosts, message)}${message}`, hint }));
}

function whichHosts(hosts: readonly string[], message: string): string {
  const [host] = hosts;
  if (hosts.length === 1) return host !== undefined && message.startsWith(`[${host}]`) ? "" : `[${host}] `;
  const named = hosts.length <= 5 ? hosts.join(", ") : `${hosts.slice(0, 3).join(", ")} and ${hosts.length - 3} more`;
  return `${hosts.length} hosts (${named}): `;
}

export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line === undefined ? undefined : `${issue.line}:${issue.column ?? 1}`]
    .filter(Boolean)
    .join(":");
  const path = issue.path ? `${issue.path}: ` : "";
  return `${where}: ${path}${issue.message}${issue.fix ? `\n  fix: ${issue.fix}` : ""}`;
}

function lastLines(text: string, n: number): string {
  return text.split("\n").slice(-n).join("\n");
}

/** A local hook (`.kamal/hooks/<name>`) exited non-zero; its output is kept, since it says why. */
export class HookError extends SextantError {
  readonly hook: string;
  readonly output: string;
  constructor(hook: string, path: string, result: { code: number | null; stdout: string; stderr: string }) {
    const output = `${result.stdout}${result.stderr}`.trim();
    const status = result.code === null ? "did not finish" : `exited ${result.code}`;
    super(`Hook \`${hook}\` failed: ${path} ${status}${output ? `:\n${lastLines(output, 20)}` : ""}`, {
      hint: `fix ${path} (it runs on this machine), or skip hooks with -H`,
    });
    this.hook = hook;
    this.output = output;
  }
}
