import { describe, expect, test } from "vitest";
import type { HostState } from "../../src/output/host-phases.ts";
import { LiveView, renderLiveView } from "../../src/output/live-view.ts";

const at = (host: string, phase: HostState["phase"], since: number): HostState => ({ host, phase, since });

describe("renderLiveView", () => {
  test("one row per host: the phase, and the time spent in it while the host is busy", () => {
    const hosts = [at("local", "done", 0), at("web-1", "health", 20_000), at("web-10", "pulled", 5000), at("db-1", "failed", 8000)];
    expect(renderLiveView(hosts, 65_000)).toEqual([
      "[local]   done",
      "[web-1]   health  45s",
      "[web-10]  pulled",
      "[db-1]    failed",
    ]);
  });

  test("with many hosts, one row per phase, so the view fits on a screen", () => {
    const hosts = Array.from({ length: 12 }, (_, i) => at(`web-${i + 1}`, i < 3 ? "pull" : i < 11 ? "boot" : "done", i * 1000));
    expect(renderLiveView(hosts, 90_000)).toEqual(["pull    3 hosts  1m30s", "boot    8 hosts  1m27s", "done    1 host"]);
  });

  test("cuts rows to the terminal width, so each takes exactly one row", () => {
    expect(renderLiveView([at("a-very-long-host-name.example.com", "boot", 0)], 1000, 20)).toEqual(["[a-very-long-host-n"]);
    expect(renderLiveView([at("web-1", "boot", 0)], 1000, 0)).toEqual(["[web-1]  boot    1s"]);
  });
});

describe("LiveView", () => {
  function view() {
    let now = 0;
    let tick: (() => void) | undefined;
    let screen = "";
    const live = new LiveView({ write: (s: string) => (screen += s) }, {
      now: () => now,
      schedule: (_ms, run) => ((tick = run), () => (tick = undefined)),
    });
    return {
      live,
      screen: () => screen,
      later: (ms: number) => {
        now += ms;
        const run = tick;
        tick = undefined;
        run?.();
      },
    };
  }

  test("draws below the narration and redraws in place: up over its rows, erase, text, rows again", () => {
    const { live, screen, later } = view();
    live.sink.write("▸ Pull app image...\n");
    live.phase("web-1", "pull");
    live.phase("web-2", "pull");
    later(2000);
    live.sink.write("[web-1]  pulled\n");
    live.stop();
    expect(screen()).toBe(
      "▸ Pull app image...\n" +
        "[web-1]  pull    0s\n" +
        "\x1b[1A\r\x1b[J[web-1]  pull    0s\n[web-2]  pull    0s\n" +
        "\x1b[2A\r\x1b[J[web-1]  pull    2s\n[web-2]  pull    2s\n" +
        "\x1b[2A\r\x1b[J[web-1]  pulled\n[web-1]  pull    2s\n[web-2]  pull    2s\n" +
        "\x1b[2A\r\x1b[J",
    );
  });

  test("text on stdout, the same terminal, also goes above the view; after the end nothing is drawn", () => {
    const { live, screen } = view();
    let stdout = "";
    const out = live.wrap({ write: (s: string) => (stdout += s) });
    live.phase("web-1", "boot");
    out.write("web-1\tdocker run app\n");
    expect(stdout).toBe("web-1\tdocker run app\n");
    expect(screen()).toBe("[web-1]  boot    0s\n\x1b[1A\r\x1b[J[web-1]  boot    0s\n");
    live.stop();
    live.phase("web-1", "done");
    live.sink.write("Finished\n");
    expect(screen().endsWith("\x1b[1A\r\x1b[JFinished\n")).toBe(true);
  });
});
