import { makeChalk } from "./color.ts";
import { HumanReporter, type Sink, type Verbosity } from "./human.ts";
import { JsonReporter } from "./json.ts";
import type { Reporter } from "./reporter.ts";

/** The reporter the CLI holds: a Reporter that can learn the run's hosts once the config is loaded. */
export type CliReporter = Reporter & { padTo(hosts: readonly string[]): void };

export type ReporterOptions = {
  readonly json: boolean;
  readonly verbosity: Verbosity;
  readonly noColor: boolean;
  readonly version: string;
  /** --dry-run (see HumanOptions.dryRun) */
  readonly dryRun?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stdout?: Sink & { readonly isTTY?: boolean };
  readonly stderr?: Sink & { readonly isTTY?: boolean };
};

export function createReporter(o: ReporterOptions): CliReporter {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  if (o.json) return new JsonReporter(stdout, { stderr, version: o.version });
  const chalk = makeChalk(stderr, o.env ?? process.env, o.noColor);
  return new HumanReporter({ stdout, stderr, verbosity: o.verbosity, chalk, version: o.version, dryRun: o.dryRun });
}
