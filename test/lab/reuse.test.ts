import { describe, expect, test } from "vitest";
import { chooseLab } from "../integration/lab/reuse.ts";
import type { Lab } from "../integration/lab/lab.ts";

const labOf = (hosts: number) => ({ hosts: Array.from({ length: hosts }, (_, i) => ({ name: `host-${i + 1}` })) }) as unknown as Lab;

describe("chooseLab", () => {
  test("reuses a kept lab with exactly the hosts the tests need", () => {
    expect(chooseLab({ running: true, keep: true, lab: labOf(3) }, 3)).toEqual({ action: "reuse" });
  });

  test("replaces the demo's 2-host lab when the tests need 3", () => {
    expect(chooseLab({ running: true, keep: true, lab: labOf(2) }, 3)).toEqual({
      action: "replace",
      reason: "the running lab has 2 hosts and the tests need 3",
    });
  });

  test("replaces a kept lab with more hosts than the tests need", () => {
    expect(chooseLab({ running: true, keep: true, lab: labOf(8) }, 3)).toEqual({
      action: "replace",
      reason: "the running lab has 8 hosts and the tests need 3",
    });
  });

  test("replaces a kept lab whose hosts sit behind latency relays: the latency test relays from those addresses", () => {
    const relayed = { ...labOf(3), latency: { rttMs: 50, hosts: [] } } as Lab;
    expect(chooseLab({ running: true, keep: true, lab: relayed }, 3)).toEqual({
      action: "replace",
      reason: "the running lab relays its hosts with a 50 ms round trip",
    });
  });

  test("starts a new lab when none runs or the running one belongs to a crashed test run", () => {
    expect(chooseLab({ running: false, keep: true, lab: labOf(3) }, 3)).toEqual({ action: "start" });
    expect(chooseLab({ running: true, keep: false, lab: labOf(3) }, 3)).toEqual({ action: "start" });
  });
});
