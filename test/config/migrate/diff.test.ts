import { describe, expect, test } from "vitest";
import { unifiedDiff } from "../../../src/config/migrate/diff.ts";

const lines = (...items: string[]) => items.map((item) => `${item}\n`).join("");

describe("unifiedDiff", () => {
  test("is empty for equal texts", () => {
    expect(unifiedDiff("a.yml", "x\n", "x\n")).toBe("");
  });

  test("prints a change with three lines of context, removals before additions", () => {
    const before = lines("1", "2", "3", "4", "5", "6", "7", "8");
    const after = lines("1", "2", "3", "4", "five", "6", "7", "8");
    expect(unifiedDiff("a.yml", before, after)).toBe(
      "--- a/a.yml\n+++ b/a.yml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
    );
  });

  test("splits changes further apart than twice the context into hunks", () => {
    const before = lines("a", "1", "2", "3", "4", "5", "6", "7", "b");
    const after = lines("A", "1", "2", "3", "4", "5", "6", "7", "B");
    expect(unifiedDiff("f", before, after)).toBe(
      "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n",
    );
  });

  test("prints a new file against /dev/null", () => {
    expect(unifiedDiff(".kamal/secrets", undefined, lines("A=1", "B=2"))).toBe(
      "--- /dev/null\n+++ b/.kamal/secrets\n@@ -0,0 +1,2 @@\n+A=1\n+B=2\n",
    );
  });

  test("counts one line without a count and marks a missing final newline", () => {
    expect(unifiedDiff("f", "a", "b\n")).toBe("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n");
  });

  test("a removed line alone gives an empty range at the line before", () => {
    expect(unifiedDiff("f", lines("a", "b"), lines("a"))).toBe("--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n a\n-b\n");
  });
});
