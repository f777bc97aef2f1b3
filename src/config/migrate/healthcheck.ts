// `healthcheck:` → kamal-proxy's health check. Kamal 1 gave each container a Docker health check (curl on
// `port`/`path`) and polled it; kamal-proxy checks `proxy.healthcheck.path` on `proxy.app_port` itself.
// Kamal 1's defaults (lib/kamal/configuration/healthcheck.rb at v1.9.3): port 3000, path /up, interval "1s",
// max_attempts 7; the poller (lib/kamal/cli/healthcheck/poller.rb) slept 1, 2, … max_attempts seconds between polls.
import { isMap, type YAMLMap } from "yaml";
import { entries, text, type Edit } from "./document.ts";
import { port } from "./labels.ts";
import type { ProxySettings } from "./proxy-settings.ts";

export const KAMAL1_APP_PORT = 3000;
const KAMAL1_MAX_ATTEMPTS = 7;
const KAMAL1_INTERVAL = 1;

export type HealthcheckResult = {
  /** seconds Kamal 1 gave a new container to become healthy, when the section changed it */
  deployTimeout?: number;
  /** a custom `cmd` means the port the app listens on is not known */
  customCommand: boolean;
};

/** Reads a healthcheck section (at `path`) into `settings`. */
export function takeHealthcheck(edit: Edit, section: unknown, path: string, settings: ProxySettings): HealthcheckResult {
  if (!isMap(section)) return { customCommand: false };
  const values = new Map(entries(section as YAMLMap).map(([key, node]) => [key, text(node)]));
  const written = (key: string) => values.get(key);
  const result: HealthcheckResult = { customCommand: written("cmd") !== undefined };
  const pathValue = written("path");
  if (pathValue !== undefined) settings.healthcheck.path = pathValue;
  const portValue = written("port");
  if (portValue !== undefined) settings.appPort = port(portValue);
  const intervalValue = written("interval");
  const interval = intervalValue === undefined ? undefined : seconds(intervalValue);
  if (intervalValue !== undefined && interval === undefined)
    edit.note(`${path}/interval`, `${intervalValue} is not a duration sextant can read; set proxy/healthcheck/interval (seconds) by hand`);
  if (interval !== undefined) settings.healthcheck.interval = interval;
  const attemptsValue = written("max_attempts");
  const attempts = attemptsValue === undefined || !/^\d+$/.test(attemptsValue) ? undefined : Number(attemptsValue);
  if (interval !== undefined || attempts !== undefined) result.deployTimeout = deployTimeout(interval ?? KAMAL1_INTERVAL, attempts ?? KAMAL1_MAX_ATTEMPTS);
  for (const [key, value] of values) {
    if (key === "cmd") edit.note(`${path}/cmd`, `kamal-proxy checks over HTTP (proxy/healthcheck/path); the command ${value ?? ""} has no equivalent; removed. Put it in the Dockerfile's HEALTHCHECK if you still want Docker to run it`);
    if (key === "cord") edit.note(`${path}/cord`, "kamal-proxy drains old containers itself; the cord file is gone; removed");
    if (key === "log_lines") edit.note(`${path}/log_lines`, "has no Kamal 2 equivalent (`sextant app logs` shows a failed container's output); removed");
  }
  return result;
}

/**
 * Kamal 1 waited interval × attempts for Docker's checks, and at least the poller's 1 + 2 + … + attempts seconds;
 * the larger is the time a container had, which deploy_timeout keeps.
 */
export function deployTimeout(interval: number, attempts: number): number {
  return Math.max(interval * attempts, (attempts * (attempts + 1)) / 2);
}

/** Docker's durations (`10s`, `1m30s`, `500ms`) in whole seconds, rounded up; a bare number is seconds. */
export function seconds(duration: string): number | undefined {
  if (/^\d+$/.test(duration)) return Number(duration);
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== duration) return undefined;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  return Math.max(1, Math.ceil(parts.reduce((sum, part) => sum + Number(part[1]) * (unit[part[2] ?? "s"] ?? 1), 0)));
}
