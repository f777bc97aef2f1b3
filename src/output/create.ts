import { isAbsolute, relative, resolve } from "node:path";
import { makeChalk } from "./color.ts";
import { GitHubReporter } from "./github.ts";
import { Heartbeat } from "./heartbeat.ts";
import { HumanReporter, type Sink, type Verbosity } from "./human.ts";
import { JsonReporter } from "./json.ts";
import { LiveView } from "./live-view.ts";
import type { Progress } from "./progress.ts";
import type { CliReporter } from "./reporter.ts";

type Env = Readonly<Record<string, string | undefined>>;

export type ReporterOptions = {
  readonly json: boolean;
  readonly verbosity: Verbosity;
  readonly noColor: boolean;
  readonly version: string;
  /** --dry-run (see HumanOptions.dryRun) */
  readonly dryRun?: boolean;
  /** the command word of the run (`deploy`), for GitHub's job summary */
  readonly command?: string | undefined;
  readonly env?: Env;
  /** the directory config file names are relative to */
  readonly cwd?: string;
  readonly stdout?: Sink & { readonly isTTY?: boolean };
  readonly stderr?: Sink & { readonly isTTY?: boolean; readonly columns?: number };
};

/**
 * The output for where sextant runs: NDJSON with --json; under GitHub Actions, groups, annotations and a job
 * summary around the human text; in CI or any log, a heartbeat in long silences; on a terminal, a live view of
 * the hosts below the narration.
 */
export function createReporter(o: ReporterOptions): CliReporter {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const env = o.env ?? process.env;
  if (o.json) return new JsonReporter(stdout, { stderr, version: o.version, dryRun: o.dryRun });
  const chalk = makeChalk(stderr, env, o.noColor);

  let progress: Progress | undefined;
  let narration: Sink = stderr;
  let results: Sink = stdout;
  const kind = progressKind(env, o.verbosity, stderr.isTTY === true, o.dryRun);
  if (kind === "live") {
    const live = new LiveView(stderr, { width: () => stderr.columns });
    progress = live;
    narration = live.sink;
    if (stdout.isTTY) results = live.wrap(stdout);
  } else if (kind === "heartbeat") {
    const heartbeat = new Heartbeat(stderr);
    progress = heartbeat;
    narration = heartbeat.sink;
  }
  const stdoutChalk = makeChalk(stdout, env, o.noColor);
  const human = (err: Sink) => new HumanReporter({ stdout: results, stderr: err, verbosity: o.verbosity, chalk, stdoutChalk, version: o.version, dryRun: o.dryRun, progress });
  if (env.GITHUB_ACTIONS !== "true") return human(narration);
  const workspace = env.GITHUB_WORKSPACE;
  const cwd = o.cwd ?? process.cwd();
  return new GitHubReporter({
    out: narration, human, verbosity: o.verbosity, version: o.version, command: o.command,
    summaryFile: env.GITHUB_STEP_SUMMARY || undefined,
    repoPath: workspace ? (file) => inside(workspace, resolve(cwd, file)) ?? file : undefined,
  });
}

/**
 * The live view on a terminal a person watches (not in CI, where logs are kept, and not under -v, whose every line
 * would push it around); a heartbeat in logs (CI, or stderr redirected); neither under -q.
 */
export function progressKind(env: Env, verbosity: Verbosity, stderrIsTTY: boolean, dryRun = false): "live" | "heartbeat" | undefined {
  // A dry run waits for nothing and observes no host.
  if (verbosity === "quiet" || dryRun) return undefined;
  if (isCi(env) || !stderrIsTTY) return "heartbeat";
  return verbosity === "normal" ? "live" : undefined;
}

/** `CI` as CI services set it (`true`, `1`, a service's name); `false` and `0` say it is not one. */
export const isCi = (env: Env): boolean =>
  env.GITHUB_ACTIONS === "true" || (env.CI !== undefined && !["", "false", "0"].includes(env.CI));

function inside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  return rel.startsWith("..") || isAbsolute(rel) ? undefined : rel;
}
