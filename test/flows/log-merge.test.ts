import { describe, expect, test } from "vitest";
import { mergeByTimestamp, timestampOf, withoutTimestamp } from "../../src/flows/log-merge.ts";

const web1 = { host: "10.0.0.1" };
const web2 = { host: "10.0.0.2" };
const printed = (lines: ReturnType<typeof mergeByTimestamp>) => lines.map((l) => `${l.source.host} ${l.line}`);

describe("merging log lines by timestamp", () => {
  test("interleaves the hosts' lines in time order, to the nanosecond", () => {
    const merged = mergeByTimestamp([
      { source: web1, text: "2026-01-02T03:04:05.000000001Z a1\n2026-01-02T03:04:07.000000000Z a2\n" },
      { source: web2, text: "2026-01-02T03:04:05.000000000Z b1\n2026-01-02T03:04:06.999999999Z b2\n" },
    ]);
    expect(printed(merged)).toEqual([
      "10.0.0.2 2026-01-02T03:04:05.000000000Z b1",
      "10.0.0.1 2026-01-02T03:04:05.000000001Z a1",
      "10.0.0.2 2026-01-02T03:04:06.999999999Z b2",
      "10.0.0.1 2026-01-02T03:04:07.000000000Z a2",
    ]);
  });

  test("equal times keep the hosts' order, then each host's own order", () => {
    const at = "2026-01-02T03:04:05.123456789Z";
    const merged = mergeByTimestamp([
      { source: web1, text: `${at} a1\n${at} a2` },
      { source: web2, text: `${at} b1` },
    ]);
    expect(printed(merged)).toEqual([`10.0.0.1 ${at} a1`, `10.0.0.1 ${at} a2`, `10.0.0.2 ${at} b1`]);
  });

  test("a line without a timestamp stays after the line before it; lines before any come first", () => {
    const merged = mergeByTimestamp([
      { source: web1, text: "2026-01-02T03:04:05.000000000Z match one\n--\n2026-01-02T03:04:09.000000000Z match two" },
      { source: web2, text: "Error response from daemon: No such container: app-web\n2026-01-02T03:04:06.000000000Z b1" },
    ]);
    expect(printed(merged)).toEqual([
      "10.0.0.2 Error response from daemon: No such container: app-web",
      "10.0.0.1 2026-01-02T03:04:05.000000000Z match one",
      "10.0.0.1 --",
      "10.0.0.2 2026-01-02T03:04:06.000000000Z b1",
      "10.0.0.1 2026-01-02T03:04:09.000000000Z match two",
    ]);
  });

  test("offsets and shorter fractions name the same instants as UTC", () => {
    expect(timestampOf("2026-01-02T04:04:05.5+01:00 x")).toEqual(timestampOf("2026-01-02T03:04:05.500000000Z x"));
    expect(timestampOf("2026-01-02T03:04:05Z x")).toEqual([Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 0]);
    expect(timestampOf("not a time")).toBeUndefined();
  });

  test("CRLF output and an empty output give clean lines", () => {
    expect(printed(mergeByTimestamp([{ source: web1, text: "2026-01-02T03:04:05Z a\r\n" }, { source: web2, text: "" }]))).toEqual([
      "10.0.0.1 2026-01-02T03:04:05Z a",
    ]);
  });

  test("-T takes the timestamp off a line and leaves a line without one as it is", () => {
    expect(withoutTimestamp("2026-01-02T03:04:05.123456789Z GET / 200")).toBe("GET / 200");
    expect(withoutTimestamp("--")).toBe("--");
  });
});
