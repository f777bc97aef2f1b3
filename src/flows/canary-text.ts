// `canary status` as a person reads it (one line per host and role) and as data for --json.
import { isRolloutTarget, type RoleCanary, type Split } from "./canary-state.ts";

export type CanaryRow = {
  readonly host: string;
  readonly role: string;
  readonly current: string | null;
  readonly canaries: readonly { id: string; name: string; state: string; version: string; rolloutTarget: boolean }[];
  /** null when kamal-proxy sends the rollout target nothing */
  readonly split: { percentage: number; allowlist: readonly string[] } | null;
  readonly rolloutTargets: readonly string[];
  /** why kamal-proxy's side is unknown, when it is */
  readonly unknown?: string;
};

export function canaryRows(roles: readonly RoleCanary[]): CanaryRow[] {
  return roles.map(({ host, role, current, canaries, rollout }) => ({
    host,
    role: role.name,
    current: current ?? null,
    canaries: canaries.map((c) => ({ ...c, rolloutTarget: isRolloutTarget(rollout, c) })),
    split: rollout.known ? (rollout.split ?? null) : null,
    rolloutTargets: rollout.known ? rollout.targets : [],
    ...(rollout.known ? {} : { unknown: rollout.reason }),
  }));
}

export function describeCanaries(roles: readonly RoleCanary[]): string {
  if (roles.length === 0) return "No selected role runs behind kamal-proxy";
  return roles.map(describeRole).join("\n");
}

function describeRole({ host, role, current, canaries, rollout }: RoleCanary): string {
  const where = `${role.name} on ${host}: ${current ?? "nothing"} running`;
  const canary = canaries.find((c) => c.state === "running");
  if (canary === undefined) {
    const stray = rollout.known && rollout.split !== undefined
      ? `; kamal-proxy still splits ${share(rollout.split)} to ${rollout.targets.join(", ")} (run \`sextant canary abort\`)` : "";
    return `${where}, no canary${stray}`;
  }
  const what = `${where}, canary ${canary.version} (${canary.name})`;
  if (!rollout.known) return `${what}, split unknown: ${rollout.reason}`;
  if (!isRolloutTarget(rollout, canary)) return `${what} is not kamal-proxy's rollout target and gets no requests`;
  if (rollout.split === undefined) return `${what} gets no requests: kamal-proxy has no split`;
  return `${what} gets ${share(rollout.split)}`;
}

function share(split: Split): string {
  const percent = `${split.percentage}% of the requests with a kamal-rollout cookie`;
  return split.allowlist.length === 0 ? percent : `${percent}, and those whose cookie is ${split.allowlist.join(", ")}`;
}
