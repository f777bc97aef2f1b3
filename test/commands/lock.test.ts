import { describe, expect, it } from "vitest";
import * as lock from "../../src/commands/lock.ts";
import { render, wire } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const SERVERS = "servers:\n- 1.1.1.1\n";
const plain = load(BASE + SERVERS);
const production = load(BASE + SERVERS, { destination: "production" });

describe("deploy lock", () => {
  it("writes the details as MIME base64 with a newline every 60 characters", () => {
    const details = { lockedBy: "Jane Doe", at: "2025-01-01T12:00:00Z", version: "0123456789abcdef0123456789abcdef01234567", message: "Automatic deploy lock" };
    expect(wire(lock.acquire(plain, details))).toBe(`/usr/bin/env mkdir .kamal/lock-app && echo "TG9ja2VkIGJ5OiBKYW5lIERvZSBhdCAyMDI1LTAxLTAxVDEyOjAwOjAwWgpW
ZXJzaW9uOiAwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0
NTY3Ck1lc3NhZ2U6IEF1dG9tYXRpYyBkZXBsb3kgbG9jaw==
" > .kamal/lock-app/details`);
  });
  it("keeps a non-ASCII name inside the base64", () => {
    const line = render(lock.acquire(production, { lockedBy: "Сергей Федоров", at: "2025-01-01T12:00:00Z", version: "123", message: "Hello" }));
    expect(line).toMatch(/^[\x00-\x7f]*$/);
    const encoded = /echo "(.*)" >/s.exec(line)?.[1] ?? "";
    expect(Buffer.from(encoded, "base64").toString("utf8")).toBe("Locked by: Сергей Федоров at 2025-01-01T12:00:00Z\nVersion: 123\nMessage: Hello");
  });
  it("releases and reads the lock of the destination", () => {
    expect(render(lock.release(production))).toBe("rm .kamal/lock-app-production/details && rm -r .kamal/lock-app-production");
    expect(render(lock.status(production))).toBe("stat .kamal/lock-app-production > /dev/null && cat .kamal/lock-app-production/details | base64 -d");
    expect(render(lock.ensureLocksDirectory())).toBe("mkdir -p .kamal");
  });
  it("encodes like Ruby's Base64.encode64", () => {
    expect(lock.mimeBase64("")).toBe("");
    expect(lock.mimeBase64("a".repeat(45))).toBe(`${"YWFh".repeat(15)}\n`);
    expect(lock.mimeBase64("a".repeat(46))).toBe(`${"YWFh".repeat(15)}\nYQ==\n`);
  });
});
