import type { LogLine } from "./log-lines.ts";

/**
 * A run that keeps a log copy, as Kamal describes it to its loggers (the `modify.kamal` payload,
 * kamal lib/kamal/commander.rb): the command as typed, the destination, and when it started.
 */
export type LoggedRun = {
  readonly command: string;
  readonly subcommand: string | undefined;
  readonly destination: string | undefined;
  readonly startedAt: Date;
  /** --dry-run: nothing reaches a host, so the file says so and nothing goes to a collector */
  readonly dryRun: boolean;
};

/** How a run ended: how long it took and, when it failed, the error's class and message. */
export type RunEnd = { readonly seconds: number; readonly error?: { readonly type: string; readonly message: string } };

/** Where a run's log copy goes: a file (log-file.ts) or an OpenTelemetry collector (otel-sink.ts). */
export interface LogSink {
  write(line: LogLine): void;
  /** The run ended: write the last words, let go, and say where the log went. */
  finish(end: RunEnd): Promise<string | undefined>;
}

/** `app boot`: the command and its subcommand as the user typed them. */
export const fullCommand = (run: LoggedRun): string => [run.command, run.subcommand].filter((w) => w !== undefined).join(" ");

/** The run time as Kamal rounds it (`.round(1)`), in seconds. */
export const runtime = (end: RunEnd): number => Math.round(end.seconds * 10) / 10;
