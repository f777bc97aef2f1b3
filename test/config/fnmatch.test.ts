import { expect, test } from "vitest";
import { fnmatch } from "../../src/config/fnmatch.ts";

// Ruby's File.fnmatch(pattern, text, File::FNM_EXTGLOB), as Kamal's -h/-r filters use it.
test.each([
  ["*", "web-1.example.com", true],
  ["web-*", "web-1", true],
  ["web-*", "db-1", false],
  ["*.example.com", "a/b.example.com", true],
  ["1.1.1.?", "1.1.1.1", true],
  ["1.1.1.?", "1.1.1.10", false],
  ["1.1.1.[12]", "1.1.1.2", true],
  ["1.1.1.[!12]", "1.1.1.2", false],
  ["1.1.1.[!12]", "1.1.1.3", true],
  ["w{eb,orkers}", "workers", true],
  ["w{eb,orkers}", "wax", false],
  ["w{eb", "w{eb", true],
  ["a\\*", "a*", true],
  ["a\\*", "ab", false],
  ["1.1.1.1", "1x1.1.1", false],
  ["*", ".hidden", false],
  [".*", ".hidden", true],
])("%s matches %s: %s", (pattern, text, expected) => {
  expect(fnmatch(pattern, text)).toBe(expected);
});
