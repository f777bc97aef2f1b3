import { SextantError, UsageError } from "../errors.ts";
import { shellSplit as rubyShellSplit } from "../secrets/shell-words.ts";

/**
 * Splits an alias definition into words with Ruby's Shellwords.split, as Kamal does (one implementation, shared
 * with the secrets commands: src/secrets/shell-words.ts); an unmatched quote is a usage error naming the alias.
 */
export function shellSplit(line: string, where: string): string[] {
  try {
    return rubyShellSplit(line);
  } catch (err) {
    if (!(err instanceof SextantError)) throw err;
    throw new UsageError(`${where}: unmatched quote in ${JSON.stringify(line)}`, { hint: "close the quote, or escape it with a backslash", cause: err });
  }
}
