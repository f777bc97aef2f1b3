import { createHash, createHmac } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { matchesPatternList } from "./host-pattern.ts";

/** One key line of a known_hosts file. `@cert-authority` lines are skipped: sextant does not do host certificates. */
export type KnownKey = { readonly type: string; readonly blob: Buffer; readonly revoked: boolean; readonly file: string; readonly line: number };

export type Verdict =
  | { readonly status: "known" }
  | { readonly status: "unknown" }
  | { readonly status: "changed"; readonly known: readonly KnownKey[] }
  | { readonly status: "revoked"; readonly known: readonly KnownKey[] };

/** The name a host is filed under: `host` on port 22, `[host]:port` otherwise (OpenSSH's convention). */
export const knownHostsName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

/** Keys filed for `name` in one known_hosts text, plain or hashed (`|1|salt|hmac-sha1`) entries alike. */
export function keysFor(text: string, name: string, file = ""): KnownKey[] {
  const keys: KnownKey[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith("#")) return;
    const marker = fields[0].startsWith("@") ? fields.shift() : undefined;
    if (marker === "@cert-authority") return;
    const [hosts, type, base64] = fields;
    if (!hosts || !type || !base64 || !hostsMatch(hosts, name)) return;
    keys.push({ type, blob: Buffer.from(base64, "base64"), revoked: marker === "@revoked", file, line: index + 1 });
  });
  return keys;
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const salt = field.split("|")[2] ?? "";
    return hashedName(name, Buffer.from(salt, "base64")) === field;
  }
  return matchesPatternList(name, field.split(","));
}

/** OpenSSH's HashKnownHosts form of a name: `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. */
export function hashedName(name: string, salt: Buffer): string {
  const hash = createHmac("sha1", salt).update(name).digest("base64");
  return `|1|${salt.toString("base64")}|${hash}`;
}

/** Compares the key a host presented with what the files say about it. */
export function verdict(known: readonly KnownKey[], presented: Buffer): Verdict {
  const same = known.filter((k) => k.blob.equals(presented));
  if (same.some((k) => k.revoked)) return { status: "revoked", known: same };
  if (same.length) return { status: "known" };
  const valid = known.filter((k) => !k.revoked);
  return valid.length ? { status: "changed", known: valid } : { status: "unknown" };
}

/** Reads the keys for `name` from several files; missing files count as empty. */
export async function readKnownKeys(files: readonly string[], name: string): Promise<KnownKey[]> {
  const all = await Promise.all(
    files.map(async (file) => keysFor(await readFile(file, "utf8").catch(() => ""), name, file)),
  );
  return all.flat();
}

/** Appends a line for a newly accepted host, creating ~/.ssh (0700) and the file (0600) if needed. */
export async function recordKey(file: string, name: string, blob: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readFile(file, "utf8").catch(() => "");
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  await appendFile(file, `${separator}${knownHostsLine(name, blob)}\n`, { mode: 0o600 });
}

export const knownHostsLine = (name: string, blob: Buffer): string => `${name} ${keyType(blob)} ${blob.toString("base64")}`;

/** `SHA256:...` as `ssh-keygen -l` prints it (unpadded base64). */
export const fingerprint = (blob: Buffer): string =>
  `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1");
}
