// Whether the holder of a deploy lock still runs, decided from what the lock's heartbeat file says (pure).
import { parseHolderLine, type Holder } from "../commands/lock-heartbeat.ts";

/** How often a running holder refreshes its heartbeat. */
export const HEARTBEAT_INTERVAL_SECONDS = 10;
/**
 * Silence after which a holder counts as gone: six missed beats, so a holder whose SSH session is briefly queued
 * behind its own deploy's commands is not called gone. Taking a lock over needs `--lock-stale-after` on top.
 */
export const GONE_AFTER_SECONDS = 60;

/** `lock.read`'s output: the host's clock and the heartbeat's mtime (epoch seconds), and the holder line. */
export type HeartbeatReading = { readonly hostNow: number; readonly touched: number; readonly holder: Holder | undefined };

/**
 * Silence after which the lock of a holder that has exited on this very machine may be taken over: two missed
 * beats. Not at once, because another machine may carry the same name; a holder running there keeps beating.
 */
export const EXITED_TAKE_OVER_AFTER_SECONDS = 2 * HEARTBEAT_INTERVAL_SECONDS;

export type Liveness =
  | { readonly state: "alive"; readonly holder: Holder | undefined; readonly silentFor: number }
  /** `exited`: the holder named this machine, and no process with its id runs here (a SIGKILL, a crash) */
  | { readonly state: "gone"; readonly holder: Holder | undefined; readonly silentFor: number; readonly exited: boolean }
  /** no heartbeat file: a lock taken by Kamal (or by an older sextant); nobody can tell whether it still runs */
  | { readonly state: "unknown" }
  /** `lock acquire -m`: meant to outlive the process that took it, so its heartbeat says nothing */
  | { readonly state: "manual"; readonly holder: Holder | undefined };

/** Kamal's automatic lock message; a lock with any other message was taken by hand (kamal lib/kamal/cli/base.rb). */
export const AUTOMATIC_MESSAGE = "Automatic deploy lock";

/** `undefined` when the output has no heartbeat (only the clock line, or nothing). */
export function parseReading(stdout: string): HeartbeatReading | undefined {
  const [now, touched, ...rest] = stdout.trim().split("\n");
  if (now === undefined || touched === undefined || !/^\d+$/.test(now.trim()) || !/^\d+$/.test(touched.trim())) return undefined;
  return { hostNow: Number(now), touched: Number(touched), holder: parseHolderLine(rest.join("\n")) };
}

/** `exitedHere`: whether the holder ran on this machine and has exited (the caller looks; this file stays pure). */
export function classify(details: string, reading: HeartbeatReading | undefined, exitedHere: (holder: Holder) => boolean = () => false): Liveness {
  if (!details.includes(AUTOMATIC_MESSAGE)) return { state: "manual", holder: reading?.holder };
  if (reading === undefined) return { state: "unknown" };
  // An mtime ahead of the host's clock (a file copied in, a clock stepped back) counts as fresh.
  const silentFor = Math.max(0, reading.hostNow - reading.touched);
  const { holder } = reading;
  const exited = holder !== undefined && exitedHere(holder);
  if (exited || silentFor > GONE_AFTER_SECONDS) return { state: "gone", holder, silentFor, exited };
  return { state: "alive", holder, silentFor };
}

/** A holder whose lock may be taken over, and why: how long it has been silent, whether it exited here. */
export type StaleHolder = { readonly holder: Holder; readonly silentFor: number; readonly exited: boolean };

/**
 * The holder of a lock `--lock-wait` may take over: sextant's own automatic lock, silent for longer than both
 * GONE_AFTER_SECONDS and `staleAfter` seconds, or whose process has exited on this machine and has been silent for
 * EXITED_TAKE_OVER_AFTER_SECONDS. Kamal's locks (no heartbeat) and manual ones never are.
 */
export function staleHolder(liveness: Liveness, staleAfter: number): StaleHolder | undefined {
  if (liveness.state !== "gone" || liveness.holder === undefined) return undefined;
  const limit = liveness.exited ? EXITED_TAKE_OVER_AFTER_SECONDS : Math.max(GONE_AFTER_SECONDS, staleAfter);
  if (liveness.silentFor <= limit) return undefined;
  return { holder: liveness.holder, silentFor: liveness.silentFor, exited: liveness.exited };
}

/** One line for `lock status` and the lock-held error. */
export function describeLiveness(liveness: Liveness): string {
  switch (liveness.state) {
    case "alive":
      return `Holder: ${describeHolder(liveness.holder)} is running (heartbeat ${duration(liveness.silentFor)} ago)`;
    case "gone":
      return liveness.exited
        ? `Holder: ${describeHolder(liveness.holder)} is gone (that process no longer runs on this machine; its heartbeat stopped ${duration(liveness.silentFor)} ago)`
        : `Holder: ${describeHolder(liveness.holder)} is gone (its heartbeat stopped ${duration(liveness.silentFor)} ago)`;
    case "unknown":
      return "Holder: unknown (no heartbeat: a lock taken by Kamal, so nothing says whether it still runs)";
    case "manual":
      return `Holder: taken by hand${liveness.holder === undefined ? "" : ` by ${describeHolder(liveness.holder)}`}; it stays until \`lock release\``;
  }
}

export const describeHolder = (h: Holder | undefined): string =>
  h === undefined ? "sextant (unreadable heartbeat)" : `sextant on ${h.machine} (process ${h.pid}, since ${h.started})`;

/** `45 seconds`, `1 minute`, `12 minutes`, `3 hours`. */
export function duration(seconds: number): string {
  if (seconds < 90) return plural(Math.round(seconds), "second");
  if (seconds < 90 * 60) return plural(Math.round(seconds / 60), "minute");
  return plural(Math.round(seconds / 3600), "hour");
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? "" : "s"}`;
