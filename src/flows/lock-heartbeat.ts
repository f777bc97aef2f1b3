// The holder's side of the lock heartbeat: refresh the heartbeat file on the primary host while the lock is held.
import * as heartbeat from "../commands/lock-heartbeat.ts";
import type { Context } from "./context.ts";
import { HEARTBEAT_INTERVAL_SECONDS } from "./lock-liveness.ts";

/** A beat stuck longer than this is given up, so stopping (and then releasing the lock) never hangs on it. */
const BEAT_TIMEOUT_MS = 20_000;

/** Stops the beats and waits for one in flight, so that no touch can race the release that follows. */
export type StopHeartbeat = () => Promise<void>;

/**
 * Touches the heartbeat every HEARTBEAT_INTERVAL_SECONDS over the host's open connection. The timer is unref'd (it
 * never keeps the process alive), beats never overlap, and a failed beat is ignored: a dropped connection only makes
 * the lock look stale sooner, and a released lock makes `beat` fail by design.
 */
export function startHeartbeat(ctx: Context, holder: heartbeat.Holder): StopHeartbeat {
  const host = ctx.selection.primaryHost;
  let inFlight: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (inFlight !== undefined) return;
    inFlight = ctx.ex
      .attempt(host, heartbeat.beat(ctx.config, holder), { timeoutMs: BEAT_TIMEOUT_MS })
      .catch(() => undefined)
      .finally(() => (inFlight = undefined));
  }, HEARTBEAT_INTERVAL_SECONDS * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}
