import type { ChalkInstance } from "chalk";
import { ConfigError, SextantError, formatIssue } from "../errors.ts";

/** Where users report bugs; printed with every error that is not a SextantError. */
export const ISSUES_URL = "https://github.com/sextant-deploy/sextant/issues";

export type ErrorTextOptions = {
  readonly verbose: boolean;
  /** sextant's own version, printed with bugs */
  readonly version: string;
  readonly chalk?: ChalkInstance;
};

/**
 * The text of a failure as the user sees it on stderr: `✗ what happened` and `fix: ...` for errors the user can
 * fix, "this is a bug in sextant" for anything else. Stacks and `cause` chains only with -v.
 */
export function errorText(err: unknown, opts: ErrorTextOptions): string {
  const mark = opts.chalk ? opts.chalk.red("✗") : "✗";
  const lines = headline(err, opts.version).map((l) => `${mark} ${indentContinuation(l)}`);
  if (opts.verbose) lines.push(...causeChain(err));
  return lines.join("\n");
}

function headline(err: unknown, version: string): string[] {
  if (err instanceof ConfigError && err.issues.length > 0) return err.issues.map(formatIssue);
  if (err instanceof SextantError) return [err.hint ? `${err.message}\n  fix: ${err.hint}` : err.message];
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return [
    `this is a bug in sextant ${version}: ${message}\n` +
      `please report it at ${ISSUES_URL} with the command you ran and its output with -v`,
  ];
}

/** Lines after the first (a remote stderr tail, a hook's output) are indented under the `✗`, like `fix:`. */
const indentContinuation = (text: string): string =>
  text.replace(/\n(?! {2}fix: )/g, "\n  ");

function causeChain(err: unknown): string[] {
  const out: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    out.push(depth === 0 ? text : `caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return out;
}
