// The deploy lock (kamal-commands.md §5.1): a directory on the primary host of the selection, created atomically.
import * as heartbeat from "../commands/lock-heartbeat.ts";
import type { Holder } from "../commands/lock-heartbeat.ts";
import * as lock from "../commands/lock.ts";
import { render } from "../commands/shell.ts";
import { utcTimestamp } from "../commands/tags.ts";
import { LockHeldError, RemoteCommandError, SextantError } from "../errors.ts";
import { onHosts } from "../exec/parallel.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { startHeartbeat } from "./lock-heartbeat.ts";
import {
  AUTOMATIC_MESSAGE, classify, describeHolder, describeLiveness, duration, EXITED_TAKE_OVER_AFTER_SECONDS, parseReading, staleHolder,
  type Liveness, type StaleHolder,
} from "./lock-liveness.ts";
import { sleep } from "./sleep.ts";

/** A lock someone else holds: Kamal's details text and what its heartbeat says about the holder. */
export type HeldLock = { readonly details: string; readonly liveness: Liveness };

/**
 * Runs `work` holding the deploy lock, unless this process holds it already (a nested flow, or KAMAL_LOCK=true
 * inherited from a hook). The lock is released whether `work` succeeds or fails; the first failure is the one the
 * user sees. While `work` runs, the lock's heartbeat is refreshed, so others can tell this holder still runs.
 */
export async function withLock<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  if (ctx.state.holdsLock) return work();
  const holder = await acquireDeployLock(ctx, AUTOMATIC_MESSAGE);
  const stopHeartbeat = holder === undefined ? async () => {} : startHeartbeat(ctx, holder);
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await stopHeartbeat();
    await releaseDeployLock(ctx).catch((releaseError: unknown) =>
      ctx.report.warn(`Error releasing the deploy lock: ${String(releaseError instanceof Error ? releaseError.message : releaseError)}`,
        ctx.selection.primaryHost));
    throw err;
  }
  await stopHeartbeat();
  ctx.report.step("Releasing the deploy lock...");
  await releaseDeployLock(ctx);
  return result;
}

/**
 * `mkdir -p .kamal` on every selected host, then the lock on the primary host; waits with `--lock-wait`, and then
 * takes over an automatic lock whose heartbeat has been silent longer than `--lock-stale-after`. Returns the holder
 * the heartbeat names (undefined in a dry run, which plans no heartbeat).
 */
export async function acquireDeployLock(ctx: Context, message: string): Promise<Holder | undefined> {
  await preConnect(ctx);
  // The primary host makes its .kamal in the same round trip as the lock itself (tryAcquire).
  const others = ctx.selection.hosts.filter((host) => host !== ctx.selection.primaryHost);
  await onHosts(others, (host) => ctx.ex.run(host, lock.ensureLocksDirectory(), { signal: ctx.signal }), { signal: ctx.signal });
  const wait = ctx.options.lockWait;
  ctx.report.step(wait.enabled ? `Acquiring the deploy lock (waiting up to ${wait.timeout}s)...` : "Acquiring the deploy lock...");
  const deadline = ctx.now().getTime() + wait.timeout * 1000;
  for (let attempt = 1; ; attempt++) {
    const outcome = await tryAcquire(ctx, message, attempt === 1);
    if ("taken" in outcome) {
      if (message === AUTOMATIC_MESSAGE) ctx.state.holdsLock = true;
      return outcome.taken;
    }
    const { held } = outcome;
    if (!wait.enabled) throw lockHeld(ctx, held);
    if (attempt === 1) ctx.report.info(`Deploy lock is held by:\n${held.details}\n${describeLiveness(held.liveness)}`);
    if (!held.details.includes(AUTOMATIC_MESSAGE))
      throw new LockHeldError("Deploy lock held manually, not waiting", { hint: "run `sextant lock status` to see who holds it" });
    const stale = staleHolder(held.liveness, wait.staleAfter);
    // A take-over that removed nothing (another waiter was faster, or rm failed) falls back to waiting.
    if (stale !== undefined && (await takeOver(ctx, stale))) continue;
    const remaining = Math.max(0, deadline - ctx.now().getTime());
    if (remaining === 0) throw new LockHeldError(`Timed out after ${wait.timeout}s waiting for the deploy lock`, { hint: held.details });
    const pause = Math.min(wait.interval * 1000, remaining);
    ctx.report.info(`Retrying in ${Math.round(pause / 1000)}s (${Math.round(remaining / 1000)}s remaining)...`);
    await sleep(pause, ctx.signal);
  }
}

/** Removes a lock whose holder is gone, saying so; true when it was removed. */
async function takeOver(ctx: Context, stale: StaleHolder): Promise<boolean> {
  const why = stale.exited
    ? `that process no longer runs on this machine and its heartbeat stopped ${duration(stale.silentFor)} ago`
    : `its heartbeat stopped ${duration(stale.silentFor)} ago, more than --lock-stale-after ${ctx.options.lockWait.staleAfter}s`;
  ctx.report.warn(`Taking over the deploy lock of ${describeHolder(stale.holder)}: ${why}`, ctx.selection.primaryHost);
  const result = await ctx.ex.attempt(ctx.selection.primaryHost, heartbeat.takeOver(ctx.config, stale.holder), { signal: ctx.signal });
  return result.code === 0;
}

/**
 * Creates the lock (first making .kamal when `ensureDirectory`) and, in the same round trip, the heartbeat naming
 * this process. A dry run plans no heartbeat: it names a process that never holds anything. The heartbeat's own
 * failure is ignored: the lock is held all the same, and reads as "unknown".
 */
async function tryAcquire(ctx: Context, message: string, ensureDirectory: boolean): Promise<{ taken: Holder | undefined } | { held: HeldLock }> {
  const host = ctx.selection.primaryHost;
  const at = utcTimestamp(ctx.now());
  const acquire = lock.acquire(ctx.config, { message, version: ctx.config.version, lockedBy: (await ctx.identity()).name, at });
  const holder = ctx.options.dryRun ? undefined : { ...ctx.runner, started: at };
  const steps = [
    ...(ensureDirectory ? [{ cmd: lock.ensureLocksDirectory() }] : []),
    { cmd: acquire },
    ...(holder === undefined ? [] : [{ cmd: heartbeat.mark(ctx.config, holder), ignoreFailure: true }]),
  ];
  try {
    await ctx.ex.script(host, steps, { signal: ctx.signal });
    return { taken: holder };
  } catch (err) {
    if (!(err instanceof RemoteCommandError) || err.command !== render(acquire)) throw err;
    if (!/cannot create directory/i.test(err.stderr))
      throw new SextantError(`[${host}] could not create the deploy lock: ${err.stderr.trim() || `exit ${err.code}`}`, { cause: err });
  }
  const held = await readLock(ctx);
  return { held: held ?? { details: "(the lock disappeared while it was read; try again)", liveness: { state: "unknown" } } };
}

/** Not tied to the run's signal: after Ctrl-C the lock must still be released, within a bounded time. */
export async function releaseDeployLock(ctx: Context): Promise<void> {
  await ctx.ex.run(ctx.selection.primaryHost, lock.release(ctx.config), { signal: AbortSignal.timeout(30_000) });
  ctx.state.holdsLock = false;
}

/**
 * The lock as Kamal's `lock status` reads it, and its heartbeat, in one round trip; undefined when there is no
 * lock. Kamal's status command is sent unchanged; the heartbeat read is sextant's own second step.
 */
export async function readLock(ctx: Context): Promise<HeldLock | undefined> {
  const host = ctx.selection.primaryHost;
  const steps = [{ cmd: lock.status(ctx.config), ignoreFailure: true }, { cmd: heartbeat.read(ctx.config), ignoreFailure: true }];
  const [status, reading] = await ctx.ex.script(host, steps, { signal: ctx.signal });
  if (status === undefined) return undefined;
  if (status.code !== 0) {
    if (/No such file or directory/.test(status.stderr) || status.stderr.trim() === "") return undefined;
    throw new SextantError(`[${host}] could not read the deploy lock: ${status.stderr.trim()}`);
  }
  const details = status.stdout.trim();
  const exitedHere = (holder: Holder) => holder.machine === ctx.runner.machine && !ctx.runner.isRunning(holder.pid);
  return { details, liveness: classify(details, parseReading(reading?.stdout ?? ""), exitedHere) };
}

function lockHeld(ctx: Context, held: HeldLock): LockHeldError {
  const text = `${held.details}\n${describeLiveness(held.liveness)}`;
  ctx.report.warn(`Deploy lock already in place!\n${text}`, ctx.selection.primaryHost);
  return new LockHeldError(`Deploy lock found on ${ctx.selection.primaryHost}:\n${indent(text)}`, { hint: hintFor(held.liveness) });
}

function hintFor(liveness: Liveness): string {
  if (liveness.state === "gone" && liveness.exited)
    return `its holder stopped: pass --lock-wait to take it over (once its heartbeat is ${EXITED_TAKE_OVER_AFTER_SECONDS}s old), or run \`sextant lock release\``;
  if (liveness.state === "gone")
    return "its holder stopped: pass --lock-wait to take it over (after --lock-stale-after), or run `sextant lock release`";
  if (liveness.state === "alive") return "wait for that deploy to finish, or pass --lock-wait to wait for it";
  return "wait for that deploy to finish, pass --lock-wait to wait for it, or run `sextant lock release` if it is stale";
}

const indent = (text: string) => text.split("\n").map((l) => `  ${l}`).join("\n");
