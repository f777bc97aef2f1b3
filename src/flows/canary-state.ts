// What a host says about a canary, read fresh by every command (docs/canary.md): the role's containers that carry
// the canary label, the version the role's current container runs (Kamal's lookup, keyed off the latest tag,
// which a canary never moves), and kamal-proxy's saved rollout target and split for the role's service.
import * as canary from "../commands/canary.ts";
import * as query from "../commands/app-query.ts";
import * as rollout from "../commands/rollout.ts";
import * as z from "zod";
import type { Role } from "../config/model.ts";
import type { Context } from "./context.ts";

export type CanaryContainer = { readonly id: string; readonly name: string; readonly state: string; readonly version: string };

/** kamal-proxy's rollout for the service: its targets (`ID:PORT`) and split, or why it could not be read. */
export type Rollout =
  | { readonly known: true; readonly targets: readonly string[]; readonly split: Split | undefined }
  | { readonly known: false; readonly reason: string };
export type Split = { readonly percentage: number; readonly allowlist: readonly string[] };

export type RoleCanary = {
  readonly host: string;
  readonly role: Role;
  /** the version of the role's current container; undefined when none runs */
  readonly current: string | undefined;
  readonly canaries: readonly CanaryContainer[];
  readonly rollout: Rollout;
};

/** Roles of `host` behind kamal-proxy: the only ones a canary splits traffic for. */
export const proxiedRoles = (ctx: Context, host: string): Role[] =>
  ctx.selection.rolesOnHost(host).filter((role) => role.proxy !== undefined);

export const proxiedHosts = (ctx: Context): string[] =>
  ctx.selection.appHosts.filter((host) => proxiedRoles(ctx, host).length > 0);

/** Every proxied role's canary state on `host`, in one round trip. */
export async function readCanaries(ctx: Context, host: string): Promise<RoleCanary[]> {
  const roles = proxiedRoles(ctx, host);
  const results = await ctx.ex.script(host, [
    { cmd: rollout.readState(), ignoreFailure: true },
    ...roles.flatMap((role) => [
      { cmd: query.currentRunningVersion(ctx.config, role), ignoreFailure: true },
      { cmd: canary.list(ctx.config, role) },
    ]),
  ], { signal: ctx.signal });
  const state = results[0];
  return roles.map((role, i) => ({
    host,
    role,
    current: results[1 + 2 * i]?.stdout.trim() || undefined,
    canaries: parseCanaries(results[2 + 2 * i]?.stdout ?? ""),
    rollout: state === undefined || state.code !== 0
      ? { known: false, reason: `could not read kamal-proxy's state: ${state?.stderr.trim() || "no answer"}` }
      : parseRollout(state.stdout, role.containerPrefix),
  }));
}

/** Only the canary containers of each proxied role on `host`, in one round trip: what ending a canary needs. */
export async function readCanaryContainers(ctx: Context, host: string): Promise<{ role: Role; canaries: CanaryContainer[] }[]> {
  const roles = proxiedRoles(ctx, host);
  const results = await ctx.ex.script(host, roles.map((role) => ({ cmd: canary.list(ctx.config, role) })), { signal: ctx.signal });
  return roles.map((role, i) => ({ role, canaries: parseCanaries(results[i]?.stdout ?? "") }));
}

/** `canary.list` lines: `ID NAME STATE VERSION`. */
export function parseCanaries(text: string): CanaryContainer[] {
  return text.split("\n").map((line) => line.trim().split(/\s+/)).filter((words) => words.length === 4)
    .map(([id = "", name = "", state = "", version = ""]) => ({ id, name, state, version }));
}

// Only the fields a canary needs; kamal-proxy writes more (server/service.go marshalledService).
const savedService = z.object({
  name: z.string(),
  rollout_targets: z.array(z.string()).nullish(),
  rollout_controller: z.object({ percentage: z.number(), allowlist: z.array(z.string()).nullish() }).nullish(),
});
const savedState = z.array(savedService);

/** The service's rollout in kamal-proxy's saved state (one JSON array of services). */
export function parseRollout(text: string, service: string): Rollout {
  let parsed: z.infer<typeof savedState>;
  try {
    parsed = savedState.parse(JSON.parse(text));
  } catch {
    return { known: false, reason: "kamal-proxy's state is not in the format of kamal-proxy v0.9" };
  }
  const saved = parsed.find((entry) => entry.name === service);
  if (saved === undefined) return { known: false, reason: `kamal-proxy has no service ${service}` };
  const controller = saved.rollout_controller;
  return {
    known: true,
    targets: saved.rollout_targets ?? [],
    split: controller ? { percentage: controller.percentage, allowlist: controller.allowlist ?? [] } : undefined,
  };
}

/** Whether kamal-proxy's rollout target is this container (targets are `<12-character id>:<port>`). */
export const isRolloutTarget = (rolloutState: Rollout, container: CanaryContainer): boolean =>
  rolloutState.known && rolloutState.targets.some((target) => target.split(":")[0] === container.id.slice(0, 12));
