// Ruby's Shellwords, which Kamal uses on both sides of a secrets command: adapters escape every argument they put
// on a vendor CLI's command line (`String#shellescape`), and the inline `$(kamal secrets ...)` substitution splits
// its command back into words (`String#shellsplit`). Reproduced so the vendor CLIs get byte-identical lines.
import { SextantError } from "../errors.ts";

/** Ruby's `Shellwords.escape`: backslash every byte outside a small safe set; a newline becomes `'\n'`. */
export function shellEscape(value: string): string {
  if (value === "") return "''";
  return value.replace(/[^A-Za-z0-9_\-.,:+/@\n]/gu, "\\$&").replace(/\n/g, "'\n'");
}

const WS = "[ \\t\\n\\v\\f\\r]";
// One word piece: a bare run, a '...' run, a "..." run, a backslash escape, or a stray character (an unmatched quote).
const PIECE = new RegExp(
  `${WS}*(?:([^ \\t\\n\\v\\f\\r\\\\'"]+)|'([^']*)'|"((?:[^"\\\\]|\\\\[\\s\\S])*)"|(\\\\[\\s\\S]?)|([^ \\t\\n\\v\\f\\r]))(${WS}|$)?`,
  "y",
);

/** Ruby's `Shellwords.split`: POSIX-style word splitting without any expansion. Throws on an unmatched quote. */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  let field = "";
  PIECE.lastIndex = 0;
  for (let m = PIECE.exec(line); m; m = PIECE.exec(line)) {
    const [whole, bare, single, double, escaped, garbage, separator] = m;
    if (garbage !== undefined) {
      const at = m.index;
      throw new SextantError(`Unmatched quote at ${at}: ${at > 0 ? "..." : ""}${whole}`, {
        hint: "close the quote, or escape it with a backslash",
      });
    }
    field +=
      bare ?? single ?? double?.replace(/\\([$`"\\\n])/g, "$1") ?? (escaped ?? "").replace(/\\([^\n])/g, "$1");
    // Ruby captures the end of input as an empty separator; JavaScript leaves an empty optional group unset.
    const atEnd = PIECE.lastIndex >= line.length;
    if (separator !== undefined || atEnd) {
      words.push(field);
      field = "";
    }
    if (atEnd) break;
  }
  return words;
}
