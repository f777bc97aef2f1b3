import { describe, expect, test } from "vitest";
import { HostsFailedError, InterruptedError, SextantError } from "../../src/errors.ts";
import { onHosts } from "../../src/exec/parallel.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("onHosts", () => {
  test("returns every host's result, in the order given", async () => {
    const result = await onHosts(["a", "b", "c"], async (h) => {
      await sleep(h === "a" ? 30 : 1);
      return h.toUpperCase();
    });
    expect([...result]).toEqual([["a", "A"], ["b", "B"], ["c", "C"]]);
  });

  test("lets every host finish, then throws one error listing each failed host", async () => {
    const finished: string[] = [];
    const err = await onHosts(["a", "b", "c"], async (h) => {
      if (h === "a") throw new SextantError("disk full", { hint: "free space" });
      await sleep(20);
      finished.push(h);
      if (h === "c") throw new Error("connection reset");
    }).catch((e: unknown) => e);
    expect(finished.sort()).toEqual(["b", "c"]);
    expect(err).toBeInstanceOf(HostsFailedError);
    expect((err as HostsFailedError).message).toBe("failed on 2 hosts:\n  [a] disk full\n  [c] connection reset");
    expect((err as HostsFailedError).hint).toBe("free space");
  });

  test("runs at most `concurrency` hosts at once", async () => {
    let active = 0;
    let peak = 0;
    await onHosts(["1", "2", "3", "4", "5"], async () => {
      peak = Math.max(peak, ++active);
      await sleep(10);
      active--;
    }, { concurrency: 2 });
    expect(peak).toBe(2);
  });

  test("hosts not started when the signal aborts are skipped and the run is interrupted", async () => {
    const ac = new AbortController();
    const started: string[] = [];
    const err = await onHosts(["a", "b", "c"], async (h) => {
      started.push(h);
      ac.abort();
      await sleep(5);
      throw new Error("aborted");
    }, { concurrency: 1, signal: ac.signal }).catch((e: unknown) => e);
    expect(started).toEqual(["a"]);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(((err as InterruptedError).cause as HostsFailedError).failures.size).toBe(3);
  });
});
