// Kamal's `shell(...)` wrapper and the single-quote escaping it and the `ssh -t` strings use
// (kamal lib/kamal/commands/base.rb).
import { cmd, hasSecrets, render, type Shell } from "./shell.ts";

/** Puts text inside single quotes for sh: every `'` becomes `'\''`. */
export const singleQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * `sh -c '<command>'`: lets a pipeline or `;` chain run as one command, e.g. before `| head -1`. The inner
 * command becomes plain text, so it must not hold secrets (they would be sent as [REDACTED]).
 */
export function shellWrap(command: Shell): Shell {
  if (hasSecrets(command)) throw new Error("shellWrap would flatten a secret into plain text");
  return cmd("sh", "-c", singleQuote(render(command)));
}

/**
 * `grep 'pattern' [options]` for log commands. The pattern is the user's text, passed through unescaped as Kamal
 * does; `quote` is `'` for remote commands and `"` inside an `ssh -t '...'` string.
 */
export const grepFor = (quote: string, pattern: string | undefined, options: string | undefined): Shell | undefined =>
  pattern === undefined ? undefined : cmd(`grep ${quote}${pattern}${quote}${options === undefined ? "" : ` ${options}`}`);
