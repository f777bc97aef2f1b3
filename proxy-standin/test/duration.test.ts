import { describe, expect, test } from "vitest";
import { formatDuration, parseDuration } from "../src/duration.ts";

describe("Go durations", () => {
  test.each([
    ["30s", 30e9], ["1m30s", 90e9], ["500ms", 500e6], ["1.5s", 1.5e9], ["2h", 7200e9], ["0", 0], ["10us", 10e3], ["-1s", -1e9],
  ])("parses %s", (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  test.each([
    ["30", 'time: missing unit in duration "30"'],
    ["3x", 'time: unknown unit "x" in duration "3x"'],
    ["", 'time: invalid duration ""'],
    ["abc", 'time: invalid duration "abc"'],
  ])("rejects %j with Go's message", (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });

  test.each([
    [30e9, "30s"], [60e9, "1m0s"], [90e9, "1m30s"], [1.5e9, "1.5s"], [250e6, "250ms"], [3600e9, "1h0m0s"], [0, "0s"], [1500, "1.5µs"],
  ])("formats %d ns as %s", (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});
