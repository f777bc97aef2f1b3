// The deploy lock (kamal-commands.md §5.1): a directory on the primary host of the selection, created atomically.
import * as lock from "../commands/lock.ts";
import { utcTimestamp } from "../commands/tags.ts";
import { LockHeldError, SextantError } from "../errors.ts";
import { onHosts } from "../exec/parallel.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { sleep } from "./sleep.ts";

export const AUTOMATIC_MESSAGE = "Automatic deploy lock";

/**
 * Runs `work` holding the deploy lock, unless this process holds it already (a nested flow, or KAMAL_LOCK=true
 * inherited from a hook). The lock is released whether `work` succeeds or fails; the first failure is the one the
 * user sees.
 */
export async function withLock<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  if (ctx.state.holdsLock) return work();
  await acquireDeployLock(ctx, AUTOMATIC_MESSAGE);
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await releaseDeployLock(ctx).catch((releaseError: unknown) =>
      ctx.report.warn(`Error releasing the deploy lock: ${String(releaseError instanceof Error ? releaseError.message : releaseError)}`,
        ctx.selection.primaryHost));
    throw err;
  }
  ctx.report.step("Releasing the deploy lock...");
  await releaseDeployLock(ctx);
  return result;
}

/** `mkdir -p .kamal` on every selected host, then the lock on the primary host; waits with `--lock-wait`. */
export async function acquireDeployLock(ctx: Context, message: string): Promise<void> {
  await preConnect(ctx);
  // The primary host makes its .kamal in the same round trip as the lock itself (tryAcquire).
  const others = ctx.selection.hosts.filter((host) => host !== ctx.selection.primaryHost);
  await onHosts(others, (host) => ctx.ex.run(host, lock.ensureLocksDirectory(), { signal: ctx.signal }), { signal: ctx.signal });
  const wait = ctx.options.lockWait;
  ctx.report.step(wait.enabled ? `Acquiring the deploy lock (waiting up to ${wait.timeout}s)...` : "Acquiring the deploy lock...");
  const deadline = ctx.now().getTime() + wait.timeout * 1000;
  for (let attempt = 1; ; attempt++) {
    const held = await tryAcquire(ctx, message, attempt === 1);
    if (held === undefined) {
      if (message === AUTOMATIC_MESSAGE) ctx.state.holdsLock = true;
      return;
    }
    if (!wait.enabled) throw lockHeld(ctx, held);
    if (attempt === 1) ctx.report.info(`Deploy lock is held by:\n${held}`);
    if (!held.includes(AUTOMATIC_MESSAGE))
      throw new LockHeldError("Deploy lock held manually, not waiting", { hint: "run `sextant lock status` to see who holds it" });
    const remaining = Math.max(0, deadline - ctx.now().getTime());
    if (remaining === 0) throw new LockHeldError(`Timed out after ${wait.timeout}s waiting for the deploy lock`, { hint: held });
    const pause = Math.min(wait.interval * 1000, remaining);
    ctx.report.info(`Retrying in ${Math.round(pause / 1000)}s (${Math.round(remaining / 1000)}s remaining)...`);
    await sleep(pause, ctx.signal);
  }
}

/** Creates the lock (first making .kamal when `ensureDirectory`); returns the holder's details when someone else holds it. */
async function tryAcquire(ctx: Context, message: string, ensureDirectory: boolean): Promise<string | undefined> {
  const host = ctx.selection.primaryHost;
  const details = { message, version: ctx.config.version, lockedBy: (await ctx.identity()).name, at: utcTimestamp(ctx.now()) };
  const acquire = { cmd: lock.acquire(ctx.config, details), ignoreFailure: true };
  const steps = ensureDirectory ? [{ cmd: lock.ensureLocksDirectory() }, acquire] : [acquire];
  const result = (await ctx.ex.script(host, steps, { signal: ctx.signal })).at(-1) ?? { code: 1, stdout: "", stderr: "" };
  if (result.code === 0) return undefined;
  if (!/cannot create directory/i.test(result.stderr))
    throw new SextantError(`[${host}] could not create the deploy lock: ${result.stderr.trim() || `exit ${result.code}`}`);
  return (await lockStatus(ctx)) ?? "(the lock disappeared while it was read; try again)";
}

/** Not tied to the run's signal: after Ctrl-C the lock must still be released, within a bounded time. */
export async function releaseDeployLock(ctx: Context): Promise<void> {
  await ctx.ex.run(ctx.selection.primaryHost, lock.release(ctx.config), { signal: AbortSignal.timeout(30_000) });
  ctx.state.holdsLock = false;
}

/** The decoded lock details, or undefined when there is no lock. */
export async function lockStatus(ctx: Context): Promise<string | undefined> {
  const result = await ctx.ex.attempt(ctx.selection.primaryHost, lock.status(ctx.config), { signal: ctx.signal });
  if (result.code !== 0) {
    if (/No such file or directory/.test(result.stderr) || result.stderr.trim() === "") return undefined;
    throw new SextantError(`[${ctx.selection.primaryHost}] could not read the deploy lock: ${result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

function lockHeld(ctx: Context, details: string): LockHeldError {
  ctx.report.warn(`Deploy lock already in place!\n${details}`, ctx.selection.primaryHost);
  return new LockHeldError(`Deploy lock found on ${ctx.selection.primaryHost}:\n${indent(details)}`, {
    hint: "wait for that deploy to finish, pass --lock-wait to wait for it, or run `sextant lock release` if it is stale",
  });
}

const indent = (text: string) => text.split("\n").map((l) => `  ${l}`).join("\n");
