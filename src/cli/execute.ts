import { InterruptedError, LogsNotFollowedError, SextantError } from "../errors.ts";
import type { CliReporter } from "../output/reporter.ts";
import { unsupportedPlatform } from "../platform.ts";
import type { CliIo } from "./deps.ts";
import { runCli } from "./run.ts";

/**
 * Runs one command line to its end and returns the exit code (docs/exit-codes.md): 0 ok, 1 failed, 2 usage or
 * config, 3 deploy lock held, 130 interrupted. The failure, if any, is reported before returning, and the reporter
 * is told the exit code last (`run.end`). Shared by the executable and the Node API, so both end a run the same way.
 */
export async function execute(argv: readonly string[], io: CliIo, reporter: CliReporter, version: string): Promise<number> {
  const code = await run(argv, io, reporter, version);
  reporter.end(code);
  return code;
}

async function run(argv: readonly string[], io: CliIo, reporter: CliReporter, version: string): Promise<number> {
  // Refused before anything runs: on native Windows a run would fail halfway (src/platform.ts).
  let failure: unknown = unsupportedPlatform(process.platform);
  if (failure === undefined) {
    try {
      await runCli(argv, io, reporter, version);
    } catch (err) {
      failure = err;
    }
  }
  // After Ctrl-C, whatever the run ended with, the user's interrupt is the outcome; but Ctrl-C is how followed
  // logs end, and hosts whose logs could not be followed still fail the run.
  if (io.signal.aborted && !(failure instanceof LogsNotFollowedError)) failure = new InterruptedError("interrupted", { cause: failure });
  if (failure === undefined) return 0;
  reporter.error(failure);
  return failure instanceof SextantError ? failure.exitCode : 1;
}
