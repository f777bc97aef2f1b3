// `output:` (kamal lib/kamal/configuration/output.rb, lib/kamal/commander.rb): a copy of the log of each run that
// changes the servers, in a file and/or sent to an OpenTelemetry collector, fed by the same events as the terminal.
import { LogFile } from "./log-file.ts";
import { LogLineReporter } from "./log-lines.ts";
import type { LogSink, LoggedRun, RunEnd } from "./log-sink.ts";
import type { RunTags } from "./otel-records.ts";
import type { Reporter } from "./reporter.ts";
import { TeeReporter } from "./tee.ts";

export type LogCopyOptions = {
  readonly file: { readonly path: string } | undefined;
  readonly otel: { readonly endpoint: string } | undefined;
  readonly run: LoggedRun;
  /** the reporter the terminal gets; it also hears where the logs went, and why they did not */
  readonly terminal: Reporter;
  /** the deploy tags (the performer costs a git call, so only the collector asks) */
  readonly tags: () => Promise<RunTags>;
  readonly runId: () => string;
  readonly now: () => Date;
  /** the Kamal release sextant follows, and sextant's own version */
  readonly versions: { readonly kamal: string; readonly sextant: string };
  /** fetch, or a stand-in in tests */
  readonly post?: typeof fetch;
};

/** The run's log copies, and the reporter that feeds them and the terminal alike. */
export type LogCopies = {
  readonly reporter: Reporter;
  /** The run ended, with `failure` if it failed: the file gets its last line, the collector the rest. */
  finish(failure: unknown): Promise<void>;
};

/**
 * Opens the copies `output:` asks for. A dry run writes its file (marked as one) but sends nothing to a collector:
 * a collector counts deployments, and a dry run deploys nothing. The file's directory is made here, so a path
 * that cannot be written stops the run before it starts (a SextantError).
 */
export async function startLogCopies(o: LogCopyOptions): Promise<LogCopies> {
  const warn = (message: string) => o.terminal.warn(message);
  const sinks: LogSink[] = [];
  if (o.file) sinks.push(new LogFile(o.file.path, o.run, warn));
  if (o.otel && o.run.dryRun) o.terminal.info(`Dry run: no logs sent to ${o.otel.endpoint}`);
  if (o.otel && !o.run.dryRun) {
    const { OtelSink } = await import("./otel-sink.ts");
    const { endpoint } = o.otel;
    sinks.push(new OtelSink({ endpoint, run: o.run, tags: await o.tags(), runId: o.runId(), versions: o.versions, now: o.now, warn, post: o.post }));
  }
  const lines = new LogLineReporter((line) => sinks.forEach((sink) => sink.write(line)), o.versions.sextant);
  return {
    reporter: new TeeReporter(o.terminal, lines),
    async finish(failure) {
      const end = runEnd(o.run.startedAt, o.now(), failure);
      for (const sink of sinks) {
        const where = await sink.finish(end);
        if (where !== undefined) o.terminal.info(where);
      }
    },
  };
}

function runEnd(startedAt: Date, now: Date, failure: unknown): RunEnd {
  const seconds = (now.getTime() - startedAt.getTime()) / 1000;
  if (failure === undefined) return { seconds };
  const type = failure instanceof Error ? failure.name : typeof failure;
  const message = failure instanceof Error ? failure.message : String(failure);
  return { seconds, error: { type, message } };
}
