import { UsageError } from "../errors.ts";

/**
 * Splits a line into words the way Ruby's Shellwords.split does (Kamal splits alias definitions with it):
 * whitespace separates words, single quotes are literal, double quotes allow `\"`, `\\`, `\$` and `` \` ``
 * escapes, and a backslash outside quotes escapes the next character.
 */
export function shellSplit(line: string, where: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const add = (s: string) => (word = (word ?? "") + s);
  while (i < line.length) {
    const ch = line[i] ?? "";
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      if (close === -1) throw unmatched(where, line);
      add(line.slice(i + 1, close));
      i = close + 1;
    } else if (ch === '"') {
      i++;
      add("");
      for (;;) {
        if (i >= line.length) throw unmatched(where, line);
        const c = line[i] ?? "";
        if (c === '"') break;
        if (c === "\\" && /["\\$`\n]/.test(line[i + 1] ?? "")) {
          add(line[i + 1] === "\n" ? "" : (line[i + 1] ?? ""));
          i += 2;
        } else {
          add(c);
          i++;
        }
      }
      i++;
    } else if (ch === "\\") {
      add(line[i + 1] ?? "");
      i += 2;
    } else {
      add(ch);
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

const unmatched = (where: string, line: string) =>
  new UsageError(`${where}: unmatched quote in ${JSON.stringify(line)}`, { hint: "close the quote, or escape it with a backslash" });
