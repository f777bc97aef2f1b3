import { describe, expect, test } from "vitest";
import { benchRtts } from "../../scripts/bench-deploy.ts";

describe("SEXTANT_BENCH_RTT", () => {
  test("picks the deploy rows' round-trip times; 0 and 50 ms without it", () => {
    expect(benchRtts({})).toEqual([0, 50]);
    expect(benchRtts({ SEXTANT_BENCH_RTT: " 0, 100,150" })).toEqual([0, 100, 150]);
  });

  test("refuses what is not a list of whole milliseconds", () => {
    expect(() => benchRtts({ SEXTANT_BENCH_RTT: "50ms" })).toThrow(
      'SEXTANT_BENCH_RTT must list whole milliseconds from 0 to 10000, like 0,50,100; got "50ms"',
    );
  });
});
