// Which requests a rollout takes (internal/server/rollout_controller.go): only those carrying the kamal-rollout
// cookie, when its value is on the allow-list or its 32-bit FNV-1a hash falls at or under the percentage's
// share of the hash range. Requests without the cookie always stay on the active target.
import type { IncomingMessage } from "node:http";

export const ROLLOUT_COOKIE = "kamal-rollout";

const MAX_HASH = 0xffffffff;

/** The split as kamal-proxy saves it (field names and the float split point included). */
export type RolloutSplit = {
  readonly percentage: number;
  readonly percentage_split_point: number;
  readonly allowlist: readonly string[];
};

export const rolloutSplit = (percentage: number, allowlist: readonly string[]): RolloutSplit =>
  ({ percentage, percentage_split_point: MAX_HASH * (percentage / 100), allowlist });

export function usesRolloutGroup(split: RolloutSplit, req: IncomingMessage): boolean {
  const value = cookieValue(req, ROLLOUT_COOKIE);
  if (value === undefined || value === "") return false;
  return split.allowlist.includes(value) || fnv1a32(value) <= split.percentage_split_point;
}

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

/**
 * Go's Request.Cookie: the first well-formed cookie of that name across the Cookie headers (which Node joins
 * with "; "), its value unquoted.
 * Values with bytes Go refuses (controls, space, `"`, `;`, `\`, non-ASCII) are skipped, as Go skips them.
 */
function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const pair = part.trim();
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq) !== name) continue;
    let value = pair.slice(eq + 1);
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if ([...value].every((c) => c > " " && c < "\x7f" && c !== '"' && c !== ";" && c !== "\\")) return value;
  }
  return undefined;
}
