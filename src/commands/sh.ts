// Kamal's `shell(...)` wrapper and the single-quote escaping it and the `ssh -t` strings use
// (kamal lib/kamal/commands/base.rb).
import { cmd, render, type Shell } from "./shell.ts";

/** Puts text inside single quotes for sh: every `'` becomes `'\''`. */
export const singleQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** `sh -c '<command>'`: lets a pipeline or `;` chain run as one command, e.g. before `| head -1`. */
export const shellWrap = (command: Shell): Shell => cmd("sh", "-c", singleQuote(render(command)));

/**
 * `grep 'pattern' [options]` for log commands. The pattern is the user's text, passed through unescaped as Kamal
 * does; `quote` is `'` for remote commands and `"` inside an `ssh -t '...'` string.
 */
export const grepFor = (quote: string, pattern: string | undefined, options: string | undefined): Shell | undefined =>
  pattern === undefined ? undefined : cmd(`grep ${quote}${pattern}${quote}${options === undefined ? "" : ` ${options}`}`);
