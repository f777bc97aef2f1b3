import type { Command } from "commander";
import type { Context } from "../flows/context.ts";
import type { CliReporter } from "../output/reporter.ts";
import type { Sink } from "../output/human.ts";

/** The process around a run; bin/ passes the real one, tests may pass their own. */
export type CliIo = {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Sink & { readonly isTTY?: boolean };
  readonly stderr: Sink & { readonly isTTY?: boolean };
  /** aborted on Ctrl-C: flows stop, release the lock, and the run exits 130 */
  readonly signal: AbortSignal;
  /** the name the user typed (`kamal` or `sextant`), for usage lines and hints; `sextant` when not given */
  readonly programName?: string;
  /** where a question's answer is read (a terminal or a pipe); the Node API passes an empty one */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
};

/**
 * What a command group gets to register its commands. A group is a function `(program, deps) => void` in its own
 * file under src/cli/; its actions load heavy modules with `await import(...)` so startup stays fast.
 */
export type CliDeps = {
  readonly io: CliIo;
  /** sextant's own version */
  readonly version: string;
  /** the run's reporter, made from the global output flags before parsing */
  readonly reporter: CliReporter;
  /**
   * Loads the config (-c/-d/--version), selects hosts (-h/-r/-p), creates the executor (the Recorder under
   * --dry-run), runs `work` with the Context, and closes the executor's connections afterwards.
   * `needsSecrets` loads .kamal/secrets first (running their `$(...)`), for commands that use secret values.
   */
  withContext<T>(cmd: Command, opts: { needsSecrets: boolean }, work: (ctx: Context) => Promise<T>): Promise<T>;
};
