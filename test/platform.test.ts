import { describe, expect, test } from "vitest";
import { errorText } from "../src/output/error-text.ts";
import { unsupportedPlatform } from "../src/platform.ts";

describe("unsupportedPlatform", () => {
  test.each(["linux", "darwin", "freebsd"] as const)("lets %s run", (platform) => {
    expect(unsupportedPlatform(platform)).toBeUndefined();
  });

  test("refuses native Windows as a usage error (exit 2) pointing to WSL", () => {
    const refused = unsupportedPlatform("win32");
    expect(refused?.exitCode).toBe(2);
    expect(errorText(refused, { verbose: false, version: "0.1.0" })).toMatchInlineSnapshot(`
      "✗ sextant does not run on native Windows: it needs a POSIX shell (/bin/sh) and a Unix SSH agent socket
        fix: run it inside WSL (Windows Subsystem for Linux): https://learn.microsoft.com/windows/wsl/install"
    `);
  });
});
