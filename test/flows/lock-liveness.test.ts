import { describe, expect, test } from "vitest";
import { classify, describeLiveness, duration, parseReading, staleHolder } from "../../src/flows/lock-liveness.ts";

const AUTOMATIC = "Locked by: Pat at 2026-03-04T05:00:00Z\nVersion: 999\nMessage: Automatic deploy lock";
const MANUAL = "Locked by: Pat at 2026-03-04T05:00:00Z\nVersion: 999\nMessage: database migration";
const holder = { machine: "ci-runner-7", pid: 4242, started: "2026-03-04T05:00:00Z" };
const LINE = "sextant machine=ci-runner-7 pid=4242 started=2026-03-04T05:00:00Z";

describe("parseReading", () => {
  test("reads the host clock, the heartbeat mtime and the holder", () => {
    expect(parseReading(`1772600000\n1772599990\n${LINE}\n`)).toEqual({ hostNow: 1772600000, touched: 1772599990, holder });
  });
  test("only a clock line (no heartbeat file) or nothing reads as no heartbeat", () => {
    expect(parseReading("1772600000\n")).toBeUndefined();
    expect(parseReading("")).toBeUndefined();
  });
  test("a heartbeat with an unreadable holder line still has its age", () => {
    expect(parseReading("100\n90\ngarbage")).toEqual({ hostNow: 100, touched: 90, holder: undefined });
  });
});

describe("classify", () => {
  const reading = (silentFor: number) => ({ hostNow: 1000, touched: 1000 - silentFor, holder });
  test("a heartbeat up to a minute old is alive, an older one gone", () => {
    expect(classify(AUTOMATIC, reading(60))).toEqual({ state: "alive", holder, silentFor: 60 });
    expect(classify(AUTOMATIC, reading(61))).toEqual({ state: "gone", holder, silentFor: 61, exited: false });
  });
  test("a holder that has exited on this machine is gone at once, however fresh its heartbeat", () => {
    const exitedHere = (h: typeof holder) => h.machine === "ci-runner-7" && h.pid === 4242;
    expect(classify(AUTOMATIC, reading(3), exitedHere)).toEqual({ state: "gone", holder, silentFor: 3, exited: true });
    expect(classify(AUTOMATIC, reading(3), () => false)).toEqual({ state: "alive", holder, silentFor: 3 });
  });
  test("an mtime ahead of the host's clock counts as fresh", () => {
    expect(classify(AUTOMATIC, { hostNow: 1000, touched: 1005, holder })).toEqual({ state: "alive", holder, silentFor: 0 });
  });
  test("an automatic lock without a heartbeat was taken by Kamal: unknown", () => {
    expect(classify(AUTOMATIC, undefined)).toEqual({ state: "unknown" });
  });
  test("a lock taken by hand is manual whatever its heartbeat says", () => {
    expect(classify(MANUAL, reading(3600))).toEqual({ state: "manual", holder });
    expect(classify(MANUAL, undefined)).toEqual({ state: "manual", holder: undefined });
  });
});

describe("staleHolder", () => {
  test("only a gone holder silent for longer than the limit may be taken over", () => {
    expect(staleHolder({ state: "gone", holder, silentFor: 301, exited: false }, 300)).toEqual({ holder, silentFor: 301, exited: false });
    expect(staleHolder({ state: "gone", holder, silentFor: 300, exited: false }, 300)).toBeUndefined();
    expect(staleHolder({ state: "gone", holder: undefined, silentFor: 900, exited: false }, 300)).toBeUndefined();
  });
  test("a holder that exited on this machine is taken over after two silent beats, whatever --lock-stale-after", () => {
    expect(staleHolder({ state: "gone", holder, silentFor: 21, exited: true }, 300)).toEqual({ holder, silentFor: 21, exited: true });
    expect(staleHolder({ state: "gone", holder, silentFor: 20, exited: true }, 300)).toBeUndefined();
  });
  test("a running holder is never stale, whatever the limit", () => {
    expect(staleHolder({ state: "alive", holder, silentFor: 30 }, 0)).toBeUndefined();
  });
  test("Kamal's locks and manual ones are never taken over", () => {
    expect(staleHolder({ state: "unknown" }, 0)).toBeUndefined();
    expect(staleHolder({ state: "manual", holder }, 0)).toBeUndefined();
  });
});

describe("describeLiveness", () => {
  test("says whether the holder runs, and since when it went silent", () => {
    expect(describeLiveness({ state: "alive", holder, silentFor: 4 })).toBe(
      "Holder: sextant on ci-runner-7 (process 4242, since 2026-03-04T05:00:00Z) is running (heartbeat 4 seconds ago)");
    expect(describeLiveness({ state: "gone", holder, silentFor: 720, exited: false })).toBe(
      "Holder: sextant on ci-runner-7 (process 4242, since 2026-03-04T05:00:00Z) is gone (its heartbeat stopped 12 minutes ago)");
    expect(describeLiveness({ state: "gone", holder, silentFor: 5, exited: true })).toBe(
      "Holder: sextant on ci-runner-7 (process 4242, since 2026-03-04T05:00:00Z) is gone (that process no longer runs on this machine; its heartbeat stopped 5 seconds ago)");
    expect(describeLiveness({ state: "gone", holder: undefined, silentFor: 7200, exited: false })).toBe(
      "Holder: sextant (unreadable heartbeat) is gone (its heartbeat stopped 2 hours ago)");
    expect(describeLiveness({ state: "unknown" })).toBe(
      "Holder: unknown (no heartbeat: a lock taken by Kamal, so nothing says whether it still runs)");
    expect(describeLiveness({ state: "manual", holder })).toBe(
      "Holder: taken by hand by sextant on ci-runner-7 (process 4242, since 2026-03-04T05:00:00Z); it stays until `lock release`");
  });
  test("durations read in the unit that fits", () => {
    expect([1, 89, 90, 119, 5399, 5400].map(duration)).toEqual(
      ["1 second", "89 seconds", "2 minutes", "2 minutes", "90 minutes", "2 hours"]);
  });
});
