import { StringDecoder } from "node:string_decoder";

/**
 * Cuts a byte stream into whole UTF-8 lines for the reporter: a chunk may end mid-line or mid-character.
 * `end()` flushes a last unterminated line.
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  return {
    push(chunk) {
      const parts = (rest + decoder.write(chunk)).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    },
    end() {
      rest += decoder.end();
      if (rest) onLine(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
      rest = "";
    },
  };
}
