// The Node API (`import { loadConfig, run, schemaPath } from "sextant-deploy"`), documented in docs/api.md.
// scripts/build.mjs bundles this file into dist/api.cjs. Its public types and their docs are in src/api.d.cts
// (shipped as dist/api.d.cts); test/api.test.ts checks them against this file. Nothing here prints or exits:
// problems and outcomes come back as data.
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { LoadConfigOptions, LoadConfigResult, RunOptions, RunResult } from "./api.cjs";
import type { CliIo } from "./cli/deps.ts";
import { ConfigError, SextantError, type Issue } from "./errors.ts";
import { MemoryReporter } from "./output/memory.ts";

/** Replaced with package.json's version by esbuild (scripts/build.mjs); "dev" when run from source. */
declare const SEXTANT_VERSION: string;
const version = typeof SEXTANT_VERSION === "string" ? SEXTANT_VERSION : "dev";

// One directory below the package root both here (src/) and in the bundle (dist/).
export const schemaPath: string = fileURLToPath(new URL("../docs/deploy.schema.json", import.meta.url));

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadConfigResult> {
  const { loadConfig: load } = await import("./config/load.ts");
  const { configView } = await import("./cli/config-view.ts");
  const { cwd = process.cwd(), configFile, destination, env = process.env } = options;
  try {
    const loaded = await load({ cwd, configFile, destination, version: options.version, env });
    // Inside the try: reading the version runs into a git failure that loading deferred (src/config/load.ts).
    // The data `sextant config --json` prints: Ruby's Symbols, Floats and big Integers as their JSON forms.
    const config = JSON.parse(JSON.stringify(configView(loaded.config))) as Record<string, unknown>;
    return { ok: true, config, warnings: loaded.warnings };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, issues: err.issues, warnings: err.warnings };
    if (!(err instanceof SextantError)) throw err;
    const issue: Issue = { file: configFile ?? "config/deploy.yml", path: "", message: err.message, ...(err.hint === undefined ? {} : { fix: err.hint }) };
    return { ok: false, issues: [issue], warnings: [] };
  }
}

export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const reporter = new EventCollector();
  const { execute } = await import("./cli/execute.ts");
  const io: CliIo = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    // Only Commander writes here, and only help pages: results like any other.
    stdout: { write: (text: string) => reporter.result(text) },
    stderr: { write: (text: string) => reporter.info(text.trimEnd()) },
    signal: options.signal ?? new AbortController().signal,
    // A question is never put to the host process's own stdin: with no answer it stops (exit 2); pass -y.
    stdin: Readable.from([]),
  };
  const exitCode = await execute(argv, io, reporter, version);
  return { exitCode, events: reporter.events };
}

/** The CLI's reporter contract over the in-memory event list, stamped with the real time. */
class EventCollector extends MemoryReporter {
  constructor() {
    super(() => new Date());
  }
  /** Prefix padding is a terminal concern. */
  padTo(): void {}
}
