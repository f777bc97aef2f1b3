// output.file: one log file per run (kamal lib/kamal/output/file_logger.rb).
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SextantError } from "../errors.ts";
import type { LogLine } from "./log-lines.ts";
import { runtime, type LogSink, type LoggedRun, type RunEnd } from "./log-sink.ts";

/**
 * `2026-12-06T03-45-06_staging_app_boot.log`: the start in local time, the destination, the command and its
 * subcommand, as Kamal names it. A dry run's file ends in `_dry-run.log`, so a dry run is never taken for a deploy.
 */
export function logFileName(run: LoggedRun): string {
  const t = run.startedAt;
  const two = (n: number) => String(n).padStart(2, "0");
  const stamp = `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}T${two(t.getHours())}-${two(t.getMinutes())}-${two(t.getSeconds())}`;
  const words = [stamp, run.destination, run.command, run.subcommand, run.dryRun ? "dry-run" : undefined];
  return `${words.filter((w) => w !== undefined).join("_")}.log`;
}

/**
 * The run's log file, opened when the run starts (the directory made if missing) and written line by line, so a
 * run that is killed keeps what it wrote. It ends with `# Completed in 12.3s` or `# FAILED: Error: message (12.3s)`.
 * A write that fails (a full disk) is said once and the rest dropped: the log must not fail the deploy.
 */
export class LogFile implements LogSink {
  readonly path: string;
  readonly #fd: number;
  readonly #warn: (message: string) => void;
  #broken = false;

  /** Throws a SextantError naming `output/file/path` when the directory or file cannot be made. */
  constructor(dir: string, run: LoggedRun, warn: (message: string) => void) {
    this.path = join(dir, logFileName(run));
    this.#warn = warn;
    try {
      mkdirSync(dir, { recursive: true });
      this.#fd = openSync(this.path, "a");
    } catch (cause) {
      throw new SextantError(`output/file/path: cannot write the log file ${this.path}: ${(cause as Error).message}`, {
        hint: "point output/file/path in config/deploy.yml at a directory you can write to",
        cause,
      });
    }
    if (run.dryRun) this.#print("# Dry run: nothing was sent to any host");
  }

  write(line: LogLine): void {
    this.#print(line.text);
  }

  finish(end: RunEnd): Promise<string> {
    const time = `${runtime(end).toFixed(1)}s`;
    this.#print(end.error ? `# FAILED: ${end.error.type}: ${end.error.message} (${time})` : `# Completed in ${time}`);
    try {
      closeSync(this.#fd);
    } catch (err) {
      this.#failed(err);
    }
    return Promise.resolve(`Logs written to ${this.path}`);
  }

  #print(text: string): void {
    if (this.#broken) return;
    try {
      writeSync(this.#fd, `${text}\n`);
    } catch (err) {
      this.#failed(err);
    }
  }

  #failed(err: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    this.#warn(`could not write the log file ${this.path}: ${(err as Error).message}; the rest of this run is not in it`);
  }
}
