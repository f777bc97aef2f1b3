// The details Kamal attaches to audit lines and hook environments (kamal lib/kamal/tags.rb).
import type { Config } from "../config/model.ts";

/** Who did it and when; the flow reads the clock and `git config user.email` (or `whoami`). */
export type Performed = {
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ` (see `utcTimestamp`) */
  readonly recordedAt: string;
  readonly performer: string;
};

/** Extra details (`role`, `hosts`, `lock`, `command`, ...), in the order they should appear; undefined ones are dropped. */
export type Details = Readonly<Record<string, string | undefined>>;

/** Ruby's `Time#utc.iso8601`: whole seconds, `Z`. */
export const utcTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The version shortened to 7 characters, unless it is a `<sha>_uncommitted_<hex>` version. */
export const abbreviatedVersion = (version: string): string => (version.includes("_") ? version : version.slice(0, 7));

/** Kamal's default tags followed by the details, without the undefined ones. */
export function tags(config: Config, performed: Performed, details: Details = {}): [string, string][] {
  const all: Record<string, string | undefined> = {
    recorded_at: performed.recordedAt,
    performer: performed.performer,
    destination: config.destination,
    version: config.version,
    service_version: `${config.service}@${abbreviatedVersion(config.version)}`,
    service: config.service,
    ...details,
  };
  return Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined);
}
