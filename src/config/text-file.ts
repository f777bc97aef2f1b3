// Reads a config file the way Psych would accept it, without letting the path hang or exhaust the run: only a
// regular file (a directory, /dev/zero or a FIFO is refused before reading), at most MAX_CONFIG_BYTES, and valid
// UTF-8 (Psych refuses invalid bytes; decoding them would put U+FFFD into labels and env values).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { ConfigError } from "../errors.ts";

/** Real deploy.yml files are a few kilobytes; a megabyte leaves room for generated ones. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Throws ConfigError naming `file` (as the user wrote it) when `path` is not a readable UTF-8 regular file. */
export function readTextFile(path: string, file: string): string {
  const bytes = readBytes(path, file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const before = bytes.subarray(0, at);
    const line = before.filter((byte) => byte === 0x0a).length + 1;
    const column = at - (before.lastIndexOf(0x0a) + 1) + 1;
    throw fileError(file, `is not valid UTF-8: byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0")}`,
      "save the file as UTF-8 (check what wrote that byte: a binary value belongs in a secret, base64-encoded)", { line, column });
  }
}

function readBytes(path: string, file: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (cause) {
    throw fileError(file, `cannot be read: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, "check the path and its permissions");
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw fileError(file, "is a directory, not a file", "name a .yml file (for -c: -c config/deploy.yml)");
    if (!stat.isFile()) throw fileError(file, "is not a regular file (a device, pipe or socket)", "name a .yml file (for -c: -c config/deploy.yml)");
    if (stat.size > MAX_CONFIG_BYTES) throw tooLarge(file, stat.size);
    // The size can change while we read; read one byte past the limit to notice.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_CONFIG_BYTES) throw tooLarge(file, length);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const tooLarge = (file: string, size: number) =>
  fileError(file, `is ${size.toLocaleString("en-US")} bytes; sextant reads config files up to ${MAX_CONFIG_BYTES.toLocaleString("en-US")} bytes`,
    "check that the path names the file you meant");

const fileError = (file: string, message: string, fix: string, at: { line?: number; column?: number } = {}) =>
  new ConfigError([{ file, path: "", message, fix, ...at }]);

/** Streams the bytes one at a time through a fatal decoder: the first one it rejects. Only runs on a bad file. */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return Math.max(0, bytes.length - 1);
}
