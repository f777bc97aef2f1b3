// The saved routing table (internal/server/router.go saveStateSnapshot/RestoreLastSavedState): one JSON array
// on one line, field names and nanosecond durations as kamal-proxy writes them, so a state file from either
// program reads back in the other.
import type { ServiceOptions, TargetOptions } from "./options.ts";
import { PAUSE_STATE_CODES, type PauseState } from "./pause-controller.ts";
import type { RolloutSplit } from "./rollout-controller.ts";
import type { Service } from "./service.ts";

export type SavedService = {
  name: string;
  options: ServiceOptions;
  target_options: TargetOptions;
  active_targets: string[];
  active_readers: string[];
  /** null without a rollout target (Go's nil slice) */
  rollout_targets: string[] | null;
  rollout_readers: string[] | null;
  pause_controller: { state: number; stop_message: string; fail_after: number };
  rollout_controller: RolloutSplit | null;
};

export function encodeState(services: Iterable<Service>): string {
  const saved: SavedService[] = [...services].map((service) => ({
    name: service.name,
    options: service.options,
    target_options: service.targetOptions,
    active_targets: service.active.writers.map((target) => target.address),
    active_readers: service.active.readers.map((target) => target.address),
    rollout_targets: service.rollout?.writers.map((target) => target.address) ?? null,
    rollout_readers: service.rollout?.readers.map((target) => target.address) ?? null,
    pause_controller: {
      state: PAUSE_STATE_CODES[service.pause.state],
      stop_message: service.pause.stopMessage,
      fail_after: service.pause.failAfter,
    },
    rollout_controller: service.rolloutSplit ?? null,
  }));
  return `${JSON.stringify(saved)}\n`;
}

export class StateDecodeError extends Error {}

/** Reads a state file's text; throws StateDecodeError if any part of it is unusable (all or nothing). */
export function decodeState(text: string, defaults: { options: ServiceOptions; targetOptions: TargetOptions }): SavedService[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new StateDecodeError((err as Error).message);
  }
  if (!Array.isArray(parsed)) throw new StateDecodeError("state is not a list of services");
  return parsed.map((entry: unknown) => decodeService(entry, defaults));
}

function decodeService(entry: unknown, defaults: { options: ServiceOptions; targetOptions: TargetOptions }): SavedService {
  if (!isRecord(entry) || typeof entry.name !== "string") throw new StateDecodeError("service without a name");
  const options = { ...defaults.options, ...(isRecord(entry.options) ? entry.options : {}) } as ServiceOptions;
  // The older layout kept hosts and prefixes at the top level and a single active_target.
  if (Array.isArray(entry.hosts)) options.hosts = entry.hosts as string[];
  if (Array.isArray(entry.path_prefixes)) options.path_prefixes = entry.path_prefixes as string[];
  const targetOptions = { ...defaults.targetOptions, ...(isRecord(entry.target_options) ? entry.target_options : {}) } as TargetOptions;
  const writers = Array.isArray(entry.active_targets)
    ? entry.active_targets
    : typeof entry.active_target === "string" ? [entry.active_target] : [];
  const readers = Array.isArray(entry.active_readers) ? entry.active_readers : [];
  const rolloutWriters = Array.isArray(entry.rollout_targets)
    ? entry.rollout_targets
    : typeof entry.rollout_target === "string" ? [entry.rollout_target] : [];
  const rolloutReaders = Array.isArray(entry.rollout_readers) ? entry.rollout_readers : [];
  const pause = isRecord(entry.pause_controller) ? entry.pause_controller : {};
  if (![options.hosts, options.path_prefixes, writers, readers, rolloutWriters, rolloutReaders].every(isStringList))
    throw new StateDecodeError(`service ${entry.name} has malformed hosts, paths or targets`);
  return {
    name: entry.name,
    options,
    target_options: targetOptions,
    active_targets: writers as string[],
    active_readers: readers as string[],
    rollout_targets: rolloutWriters.length > 0 ? rolloutWriters as string[] : null,
    rollout_readers: rolloutWriters.length > 0 ? rolloutReaders as string[] : null,
    pause_controller: {
      state: typeof pause.state === "number" ? pause.state : 0,
      stop_message: typeof pause.stop_message === "string" ? pause.stop_message : "",
      fail_after: typeof pause.fail_after === "number" ? pause.fail_after : 0,
    },
    rollout_controller: decodeSplit(entry.rollout_controller),
  };
}

function decodeSplit(value: unknown): RolloutSplit | null {
  if (!isRecord(value)) return null;
  const allowlist = isStringList(value.allowlist) ? value.allowlist as string[] : [];
  const percentage = typeof value.percentage === "number" ? value.percentage : 0;
  const splitPoint = typeof value.percentage_split_point === "number" ? value.percentage_split_point : 0;
  return { percentage, percentage_split_point: splitPoint, allowlist };
}

export function pauseStateFromCode(code: number): PauseState {
  const found = (Object.keys(PAUSE_STATE_CODES) as PauseState[]).find((state) => PAUSE_STATE_CODES[state] === code);
  if (found === undefined) throw new StateDecodeError(`unknown pause state ${code}`);
  return found;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isStringList = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === "string");
