import { describe, expect, test } from "vitest";
import { HEARTBEAT_MS, Heartbeat, heartbeatLine } from "../../src/output/heartbeat.ts";
import type { HostState } from "../../src/output/host-phases.ts";

/** A clock that moves only when told, and the timer the heartbeat armed on it. */
function fakeTime() {
  let now = 0;
  let pending: { at: number; run: () => void } | undefined;
  return {
    now: () => now,
    schedule: (ms: number, run: () => void) => {
      pending = { at: now + ms, run };
      return () => (pending = undefined);
    },
    /** Moves the clock by `ms`, firing the timer on its way if it is due. */
    advance(ms: number) {
      const target = now + ms;
      while (pending && pending.at <= target) {
        const due = pending;
        pending = undefined;
        now = due.at;
        due.run();
      }
      now = target;
    },
    get armed() {
      return pending !== undefined;
    },
  };
}

function heartbeat() {
  const time = fakeTime();
  let log = "";
  const hb = new Heartbeat({ write: (s: string) => (log += s) }, { now: time.now, schedule: time.schedule });
  return { hb, time, log: () => log };
}

describe("Heartbeat", () => {
  test("says what is still going on after 30 s without a line, and again every 30 s", () => {
    const { hb, time, log } = heartbeat();
    hb.step("Building registry.example.com/app:42...");
    hb.phase("local", "build");
    time.advance(29_999);
    expect(log()).toBe("");
    time.advance(1);
    expect(log()).toBe("still building (30s)\n");
    time.advance(50_000);
    expect(log()).toBe("still building (30s)\nstill building (1m0s)\n");
  });

  test("a line of narration restarts the 30 s", () => {
    const { hb, time, log } = heartbeat();
    hb.step("Acquiring the deploy lock...");
    time.advance(20_000);
    hb.sink.write("[web-1]  Waiting for the lock...\n");
    time.advance(20_000);
    expect(log()).toBe("[web-1]  Waiting for the lock...\n");
    time.advance(10_000);
    expect(log()).toBe("[web-1]  Waiting for the lock...\nstill running: Acquiring the deploy lock (50s)\n");
  });

  test("stays silent before the first step, and stops for good at the end of the run", () => {
    const { hb, time, log } = heartbeat();
    time.advance(HEARTBEAT_MS * 3);
    expect(time.armed).toBe(false);
    hb.phase("web-1", "pull");
    expect(time.armed).toBe(true);
    hb.stop();
    expect(time.armed).toBe(false);
    hb.phase("web-1", "boot");
    time.advance(HEARTBEAT_MS * 3);
    expect(log()).toBe("");
  });
});

describe("heartbeatLine", () => {
  const at = (host: string, phase: HostState["phase"], since: number): HostState => ({ host, phase, since });

  test("counts the hosts in each busy phase, timed from the first host that entered it", () => {
    const hosts = [at("web-1", "health", 20_000), at("web-2", "health", 25_000), at("web-3", "health", 30_000), at("web-4", "done", 40_000)];
    expect(heartbeatLine(hosts, undefined, 60_000)).toBe("waiting for health on 3 of 4 hosts (40s)");
  });

  test("names a lone host, lists busy phases in deploy order, and leaves out this machine and idle hosts", () => {
    const hosts = [at("local", "done", 0), at("web-1", "stop", 50_000), at("web-2", "pull", 0), at("web-3", "pulled", 0), at("web-4", "boot", 55_000), at("web-5", "boot", 58_000)];
    expect(heartbeatLine(hosts, undefined, 80_000)).toBe(
      "pulling the image on web-2 (1m20s); booting on 2 of 5 hosts (25s); stopping the old container on web-1 (30s)",
    );
  });

  test("without busy hosts, names the step", () => {
    expect(heartbeatLine([at("web-1", "pulled", 0)], { title: "Running the pre-deploy hook...", since: 1000 }, 95_000))
      .toBe("still running: Running the pre-deploy hook (1m34s)");
    expect(heartbeatLine([], undefined, 5000)).toBe("still running");
  });
});
