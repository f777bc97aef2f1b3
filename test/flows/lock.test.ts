import { afterEach, describe, expect, test, vi } from "vitest";
import { LockHeldError } from "../../src/errors.ts";
import { readLock, withLock } from "../../src/flows/lock.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const config = () => configFromYaml("service: app\nimage: dhh/app\nservers: [1.1.1.1]\nregistry:\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n", { version: "999" });

const ACQUIRE = "/usr/bin/env mkdir .kamal/lock-app && echo ";
const MARK = "/usr/bin/env echo 'sextant machine=deployer-laptop pid=4242 started=2026-03-04T05:06:07Z' > .kamal/lock-app/heartbeat";
const BEAT = "/usr/bin/env grep -qxF 'sextant machine=deployer-laptop pid=4242 started=2026-03-04T05:06:07Z' .kamal/lock-app/heartbeat && touch .kamal/lock-app/heartbeat";
const RELEASE = "/usr/bin/env rm .kamal/lock-app/details && rm -r .kamal/lock-app";
const STATUS = "/usr/bin/env stat .kamal/lock-app > /dev/null && cat .kamal/lock-app/details | base64 -d";
const READ = "/usr/bin/env date +%s && stat -c %Y .kamal/lock-app/heartbeat && cat .kamal/lock-app/heartbeat";
const TAKE_OVER = "/usr/bin/env grep -qxF 'sextant machine=ci-7 pid=99 started=2026-03-04T04:00:00Z' .kamal/lock-app/heartbeat && rm -r .kamal/lock-app";

const DETAILS = "Locked by: Sam at 2026-03-04T04:00:00Z\nVersion: 998\nMessage: Automatic deploy lock";
const held = { match: "mkdir .kamal/lock-app &&", result: { code: 1, stderr: "mkdir: cannot create directory '.kamal/lock-app': File exists" } };
const status = (details = DETAILS) => ({ match: "base64 -d", result: { stdout: details } });
/** the host's clock at 5000, the heartbeat last touched `silentFor` seconds before */
const heartbeat = (silentFor: number) => ({ match: "date +%s", result: { stdout: `5000\n${5000 - silentFor}\nsextant machine=ci-7 pid=99 started=2026-03-04T04:00:00Z\n` } });
const noHeartbeat = { match: "date +%s", result: { code: 1, stdout: "5000\n", stderr: "stat: cannot statx '.kamal/lock-app/heartbeat': No such file or directory" } };

afterEach(() => vi.useRealTimers());

describe("withLock", () => {
  test("writes the heartbeat in the lock's round trip, refreshes it while the work runs, and stops before the release", async () => {
    vi.useFakeTimers();
    const { ctx, recorder } = testContext(config());
    let finish = () => {};
    const running = withLock(ctx, () => new Promise<void>((resolve) => (finish = resolve)));
    await vi.advanceTimersByTimeAsync(25_000);
    finish();
    await running;
    await vi.advanceTimersByTimeAsync(60_000);
    const lines = recorder.commands("1.1.1.1");
    expect(lines[1]?.startsWith(ACQUIRE)).toBe(true);
    expect(lines.slice(2)).toEqual([MARK, BEAT, BEAT, RELEASE]);
    expect(recorder.calls("1.1.1.1").slice(0, 3).map((c) => c.kind)).toEqual(["script", "script", "script"]);
  });

  test("a beat that finds the lock released fails quietly and the run goes on", async () => {
    vi.useFakeTimers();
    const { ctx, recorder, report } = testContext(config(), { answers: [{ match: "grep -qxF", result: { code: 1 } }] });
    let finish = () => {};
    const running = withLock(ctx, () => new Promise<void>((resolve) => (finish = resolve)));
    await vi.advanceTimersByTimeAsync(10_000);
    finish();
    await running;
    expect(recorder.commands("1.1.1.1").filter((l) => l === BEAT)).toHaveLength(1);
    expect(report.events.filter((e) => e.type === "warn")).toEqual([]);
  });

  test("a dry run plans no heartbeat", async () => {
    const { ctx, recorder } = testContext(config(), { flags: { dryRun: true } });
    await withLock(ctx, async () => {});
    expect(recorder.commands("1.1.1.1").some((l) => l.includes("heartbeat"))).toBe(false);
  });
});

describe("a held lock", () => {
  test("without --lock-wait exits 3 saying its holder is gone", async () => {
    const { ctx, recorder } = testContext(config(), { answers: [held, status(), heartbeat(720)] });
    const error = await withLock(ctx, async () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as LockHeldError).message).toMatchInlineSnapshot(`
      "Deploy lock found on 1.1.1.1:
        Locked by: Sam at 2026-03-04T04:00:00Z
        Version: 998
        Message: Automatic deploy lock
        Holder: sextant on ci-7 (process 99, since 2026-03-04T04:00:00Z) is gone (its heartbeat stopped 12 minutes ago)"
    `);
    expect((error as LockHeldError).hint).toMatchInlineSnapshot(`"its holder stopped: pass --lock-wait to take it over (after --lock-stale-after), or run \`sextant lock release\`"`);
    expect(recorder.commands("1.1.1.1").slice(-2)).toEqual([STATUS, READ]);
  });

  test("--lock-wait takes over a lock silent longer than --lock-stale-after, saying so, then holds it", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [{ ...held, times: 1 }, status(), heartbeat(720)],
      flags: { lockWait: { enabled: true, timeout: 900, interval: 15, staleAfter: 300 } },
    });
    await withLock(ctx, async () => {});
    const lines = recorder.commands("1.1.1.1");
    expect(lines.slice(2, 5)).toEqual([STATUS, READ, TAKE_OVER]);
    expect(lines[5]?.startsWith(ACQUIRE)).toBe(true);
    expect(lines.slice(6)).toEqual([MARK, RELEASE]);
    expect(report.events.filter((e) => e.type === "warn").map((e) => e.message)).toEqual([
      "Taking over the deploy lock of sextant on ci-7 (process 99, since 2026-03-04T04:00:00Z): its heartbeat stopped 12 minutes ago, more than --lock-stale-after 300s",
    ]);
  });

  // The holder ci-7/99 was SIGKILLed on the machine now deploying (also named ci-7).
  const onHoldersMachine = <T extends { ctx: Parameters<typeof withLock>[0] }>(made: T): T =>
    ({ ...made, ctx: { ...made.ctx, runner: { machine: "ci-7", pid: 4242, isRunning: (pid: number) => pid !== 99 } } });

  test("a holder that no longer runs on this machine is called gone at once, with when --lock-wait takes over", async () => {
    const { ctx } = onHoldersMachine(testContext(config(), { answers: [held, status(), heartbeat(5)] }));
    const error = (await withLock(ctx, async () => {}).catch((e: unknown) => e)) as LockHeldError;
    expect(error.message.split("\n").at(-1)).toBe(
      "  Holder: sextant on ci-7 (process 99, since 2026-03-04T04:00:00Z) is gone (that process no longer runs on this machine; its heartbeat stopped 5 seconds ago)");
    expect(error.hint).toBe("its holder stopped: pass --lock-wait to take it over (once its heartbeat is 20s old), or run `sextant lock release`");
  });

  test("--lock-wait takes over the lock of a holder that exited on this machine after two silent beats", async () => {
    const { ctx, recorder, report } = onHoldersMachine(testContext(config(), {
      answers: [{ ...held, times: 1 }, status(), heartbeat(25)],
      flags: { lockWait: { enabled: true, timeout: 900, interval: 15, staleAfter: 300 } },
    }));
    await withLock(ctx, async () => {});
    expect(recorder.commands("1.1.1.1").slice(2, 5)).toEqual([STATUS, READ, TAKE_OVER]);
    expect(report.events.filter((e) => e.type === "warn").map((e) => e.message)).toEqual([
      "Taking over the deploy lock of sextant on ci-7 (process 99, since 2026-03-04T04:00:00Z): that process no longer runs on this machine and its heartbeat stopped 25 seconds ago",
    ]);
  });

  test("--lock-wait does not take over a lock silent for less than the limit; it waits", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [held, status(), heartbeat(120)],
      flags: { lockWait: { enabled: true, timeout: 0, interval: 15, staleAfter: 300 } },
    });
    await expect(withLock(ctx, async () => {})).rejects.toThrow("Timed out after 0s waiting for the deploy lock");
    expect(recorder.commands("1.1.1.1").some((l) => l.includes("rm -r"))).toBe(false);
  });

  test("a lock taken by Kamal (no heartbeat) is reported unknown and never taken over", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [held, status(), noHeartbeat],
      flags: { lockWait: { enabled: true, timeout: 0, interval: 15, staleAfter: 0 } },
    });
    await expect(withLock(ctx, async () => {})).rejects.toThrow("Timed out after 0s waiting for the deploy lock");
    expect(recorder.commands("1.1.1.1").some((l) => l.includes("rm -r"))).toBe(false);
    expect(report.events.filter((e) => e.type === "info").map((e) => e.message)).toContain(
      `Deploy lock is held by:\n${DETAILS}\nHolder: unknown (no heartbeat: a lock taken by Kamal, so nothing says whether it still runs)`);
  });

  test("a take-over that removes nothing (another waiter was faster) falls back to waiting", async () => {
    const { ctx } = testContext(config(), {
      answers: [held, status(), heartbeat(720), { match: "&& rm -r .kamal/lock-app", result: { code: 1 } }],
      flags: { lockWait: { enabled: true, timeout: 0, interval: 15, staleAfter: 300 } },
    });
    await expect(withLock(ctx, async () => {})).rejects.toThrow("Timed out after 0s waiting for the deploy lock");
  });
});

describe("readLock", () => {
  test("sends Kamal's status command unchanged, with the heartbeat read as a second step of the same round trip", async () => {
    const { ctx, recorder } = testContext(config(), { answers: [status(), heartbeat(3)] });
    expect(await readLock(ctx)).toEqual({
      details: DETAILS,
      liveness: { state: "alive", holder: { machine: "ci-7", pid: 99, started: "2026-03-04T04:00:00Z" }, silentFor: 3 },
    });
    expect(recorder.calls("1.1.1.1").map((c) => [c.kind, c.line])).toEqual([["script", STATUS], ["script", READ]]);
  });

  test("no lock directory: no lock", async () => {
    const { ctx } = testContext(config(), {
      answers: [{ match: "base64 -d", result: { code: 1, stderr: "stat: cannot statx '.kamal/lock-app': No such file or directory" } }],
    });
    expect(await readLock(ctx)).toBeUndefined();
  });
});
