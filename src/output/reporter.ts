import type { HostPhase } from "./host-phases.ts";
import type { HostOutcome } from "./outcome.ts";

export { LOCAL } from "../local-host.ts";

/** Where log lines come from: a host and, for app and accessory logs, the role or accessory whose container it is. */
export type LogSource = { readonly host: string; readonly name?: string };

/**
 * The only way the rest of sextant writes to the terminal. Implementations: human.ts (stderr narration,
 * stdout results) and json.ts (NDJSON events on stdout).
 */
export interface Reporter {
  /** A named step of a flow begins ("Acquiring the deploy lock..."). */
  step(title: string): void;
  /** A command is about to run on a host (`local` for this machine); shown under -v. */
  command(host: string, line: string): void;
  /** Output of a command, one or more lines, prefixed with its host. */
  output(host: string, text: string): void;
  /**
   * Output of a command the terminal does not show (not streamed, and no -v): only a run's log copy
   * (output.file, output.otel) keeps it. Executors hand it here instead of dropping it.
   */
  outputForLogs?(host: string, text: string): void;
  info(message: string, host?: string): void;
  warn(message: string, host?: string): void;
  /**
   * A result a user may pipe (versions, details, printed config): stdout. `data` is the same result as plain
   * data, which `--json` prints instead of the text when given.
   */
  result(text: string, data?: unknown): void;
  /**
   * The sources whose log lines follow (`logs -f`, `logs --merge`), before the first line, so the human output can
   * pad and colour their labels alike. Optional for test doubles.
   */
  logSources?(sources: readonly LogSource[]): void;
  /** One line of a container's log from `source`: a result, so stdout, prefixed with its host. */
  logLine(source: LogSource, line: string): void;
  /** The dry-run line of one command: `HOST<TAB>COMMAND` on stdout. */
  planned(host: string, line: string): void;
  error(err: unknown): void;
  /** The per-host summary of a deploy (host, role, old/new version, result, time). Optional for test doubles. */
  outcomes?(rows: readonly HostOutcome[]): void;
  /**
   * What a host is doing now (pulling, booting, waiting for health...), for the live view, the heartbeat and
   * `host.phase` events. Flows call it once per change; optional for test doubles.
   */
  phase?(host: string, phase: HostPhase): void;
}

/**
 * The reporter the CLI holds: a Reporter that can learn the run's hosts once the config is loaded, and that is told
 * the exit code when the run is over (the `run.end` event, the job summary, timers stopped).
 */
export type CliReporter = Reporter & { padTo(hosts: readonly string[]): void; end(exitCode: number): void };
