import type { Config } from "../config/model.ts";
import type { Selection } from "../config/selection.ts";
import type { Executor } from "../exec/executor.ts";
import type { Reporter } from "../output/reporter.ts";

/** Everything a flow may use. Flows never reach for globals: clock and randomness come from here too. */
export type Context = {
  readonly config: Config;
  /** hosts and roles picked by -h/-r/-p, in Kamal's order (kamal-commands.md §2.1) */
  readonly selection: Selection;
  readonly ex: Executor;
  readonly report: Reporter;
  readonly signal: AbortSignal;
  /** the app's directory: where config/, .kamal/ and local files named in the config are */
  readonly cwd: string;
  readonly now: () => Date;
  /** `bytes` random bytes as lowercase hex (container hostname suffixes, exec names) */
  readonly randomHex: (bytes: number) => string;
  readonly options: RunFlags;
  /**
   * Who is deploying: `git config user.name` / `user.email` (email falls back to `whoami`). Read on this machine
   * outside the executor, so a dry run does not list these lookups as commands it would run.
   */
  readonly identity: () => Promise<Identity>;
  /** this process, as the deploy lock's heartbeat names it */
  readonly runner: Runner;
  /** mutable per-run state, e.g. whether this process holds the deploy lock */
  readonly state: { holdsLock: boolean; preConnectDone: boolean };
};

export type Identity = { readonly name: string; readonly email: string };

/**
 * The machine sextant runs on (its host name), this process's id, and whether a process of this machine runs
 * (a lock holder named this machine: did it exit?).
 */
export type Runner = { readonly machine: string; readonly pid: number; readonly isRunning: (pid: number) => boolean };

/** Global flags that change what flows do. */
export type RunFlags = {
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly skipHooks: boolean;
  readonly dryRun: boolean;
  /** the top-level command and subcommand, for the KAMAL_COMMAND / KAMAL_SUBCOMMAND hook variables */
  readonly command: string;
  readonly subcommand: string | undefined;
  /** `staleAfter`: seconds of heartbeat silence after which `--lock-wait` takes a lock over */
  readonly lockWait: { readonly enabled: boolean; readonly timeout: number; readonly interval: number; readonly staleAfter: number };
};
