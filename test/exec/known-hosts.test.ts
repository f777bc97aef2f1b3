import { createHash, createHmac } from "node:crypto";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { fingerprint, keysFor, keyType, knownHostsName, recordKey, verdict } from "../../src/exec/known-hosts.ts";

/** A fake but well-formed SSH key blob: length-prefixed type name, then bytes. */
function blob(type: string, fill: number): Buffer {
  const name = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(name.length);
  return Buffer.concat([len, name, Buffer.alloc(32, fill)]);
}
const ed1 = blob("ssh-ed25519", 1);
const ed2 = blob("ssh-ed25519", 2);
const b64 = (b: Buffer) => b.toString("base64");

function hashed(name: string, salt: Buffer): string {
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

describe("known_hosts", () => {
  test("files non-standard ports under [host]:port", () => {
    expect(knownHostsName("web-1", 22)).toBe("web-1");
    expect(knownHostsName("127.0.0.2", 2222)).toBe("[127.0.0.2]:2222");
  });

  test("finds plain entries, comma lists, wildcards and negations", () => {
    const text = [
      "# comment",
      `web-1,10.0.0.1 ssh-ed25519 ${b64(ed1)} comment`,
      `*.example.com,!db.example.com ssh-ed25519 ${b64(ed2)}`,
      `[10.0.0.9]:2222 ssh-ed25519 ${b64(ed2)}`,
    ].join("\n");
    expect(keysFor(text, "10.0.0.1").map((k) => k.line)).toEqual([2]);
    expect(keysFor(text, "app.example.com").map((k) => k.line)).toEqual([3]);
    expect(keysFor(text, "db.example.com")).toEqual([]);
    expect(keysFor(text, "[10.0.0.9]:2222").map((k) => k.line)).toEqual([4]);
    expect(keysFor(text, "10.0.0.9")).toEqual([]);
  });

  test("finds hashed entries computed with HMAC-SHA1 over the name", () => {
    const salt = Buffer.alloc(20, 7);
    const text = `${hashed("[127.0.0.2]:2222", salt)} ssh-ed25519 ${b64(ed1)}\n${hashed("other", salt)} ssh-ed25519 ${b64(ed2)}\n`;
    const keys = keysFor(text, "[127.0.0.2]:2222");
    expect(keys).toHaveLength(1);
    expect(keys[0]?.blob.equals(ed1)).toBe(true);
  });

  test("a matching key is known, a different one is a change, none is unknown, @revoked refuses", () => {
    const text = `h ssh-ed25519 ${b64(ed1)}\n@revoked r ssh-ed25519 ${b64(ed2)}\n@cert-authority h ssh-ed25519 ${b64(ed2)}`;
    expect(verdict(keysFor(text, "h"), ed1)).toEqual({ status: "known" });
    expect(verdict(keysFor(text, "h"), ed2).status).toBe("changed");
    expect(verdict(keysFor(text, "nobody"), ed2)).toEqual({ status: "unknown" });
    expect(verdict(keysFor(text, "r"), ed2).status).toBe("revoked");
  });

  test("fingerprints like ssh-keygen -l and reads the key type from the blob", () => {
    const expected = createHash("sha256").update(ed1).digest("base64").replace(/=+$/, "");
    expect(fingerprint(ed1)).toBe(`SHA256:${expected}`);
    expect(keyType(ed1)).toBe("ssh-ed25519");
  });

  test("records a new host in a file it creates with mode 0600 inside a 0700 directory", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "sextant-kh-")), ".ssh");
    const file = join(dir, "known_hosts");
    await recordKey(file, "[h]:2222", ed1);
    await recordKey(file, "g", ed2);
    expect(await readFile(file, "utf8")).toBe(`[h]:2222 ssh-ed25519 ${b64(ed1)}\ng ssh-ed25519 ${b64(ed2)}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});
