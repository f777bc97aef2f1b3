// The sextant executable: runs one command line and maps its outcome to an exit code. This is the only place
// that calls process.exit. Exit codes (docs/exit-codes.md): 0 ok, 1 failed, 2 usage or config, 3 deploy lock
// held, 130 interrupted.
import { commandIndex, normalizeArgv, scanGlobals } from "../src/cli/argv.ts";
import { execute } from "../src/cli/execute.ts";
import { invokedName } from "../src/cli/invoked-name.ts";
import { InterruptedError } from "../src/errors.ts";
import { createReporter } from "../src/output/create.ts";

/** Replaced with package.json's version by esbuild (scripts/build.mjs); "dev" when run from source. */
declare const SEXTANT_VERSION: string;
const version = typeof SEXTANT_VERSION === "string" ? SEXTANT_VERSION : "dev";

const INTERRUPTED = 130;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const globals = scanGlobals(argv);
  const reporter = createReporter({
    json: globals.json,
    verbosity: globals.verbose ? "verbose" : globals.quiet ? "quiet" : "normal",
    noColor: !globals.color,
    dryRun: globals.dryRun,
    version,
    command: argv[commandIndex(normalizeArgv(argv))],
  });

  // First Ctrl-C: abort the run so flows finish or abort their step and release the deploy lock.
  // A second one: the user means it.
  const controller = new AbortController();
  process.on("SIGINT", () => {
    if (controller.signal.aborted) {
      reporter.end(INTERRUPTED);
      process.exit(INTERRUPTED);
    }
    controller.abort(new InterruptedError("interrupted"));
  });

  // A reader that goes away (`sextant deploy --dry-run | head`) must not crash a run halfway through, possibly
  // holding the deploy lock: the rest of stdout is dropped and the run finishes; narration still goes to stderr.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
  });

  // A promise nobody awaited failed: a bug, reported like any other rather than as Node's raw dump.
  process.on("unhandledRejection", (err) => {
    reporter.error(err);
    reporter.end(1);
    process.exit(1);
  });

  const io = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal, programName: invokedName(process.argv[1]), stdin: process.stdin };
  return execute(argv, io, reporter, version);
}

// No top-level await: the bundle is CommonJS, so bin/launcher.ts can run it through a V8 code cache.
void main().then((code) => {
  // Let stdout drain before exiting; a piped `sextant config | head` must not lose or truncate output.
  process.stdout.write("", () => process.exit(code));
});
