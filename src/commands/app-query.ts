// Finding a role's containers on a host (kamal lib/kamal/commands/app.rb, base.rb `container_id_for`).
import type { Config, Role } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { containerName, latestImage } from "./names.ts";
import { cmd, pipe, render, seq, type Shell } from "./shell.ts";
import { shellWrap } from "./sh.ts";

/** docker statuses of a container that counts as "running" for the current-container search. */
const ACTIVE_STATUSES = ["running", "restarting"] as const;

/** `--filter label=service=SVC --filter label=destination=[DEST] [--filter label=role=ROLE] [--filter status=S ...]` */
export function containerFilterArgs(config: Config, role: Role | undefined, statuses: readonly string[] = []): string[] {
  return argumentize("--filter", [
    `label=service=${config.service}`,
    `label=destination=${config.destination ?? ""}`,
    ...(role ? [`label=role=${role.name}`] : []),
    ...statuses.map((status) => `status=${status}`),
  ]);
}

/** The id of the container with exactly this name, in any state unless `onlyRunning`. */
export const containerIdFor = (name: string, onlyRunning = false): Shell =>
  cmd("docker", "container", "ls", onlyRunning ? null : "--all", "--filter", `'name=^${name}$'`, "--quiet");

export const containerIdForVersion = (config: Config, role: Role, version: string, onlyRunning = false): Shell =>
  containerIdFor(containerName(config, role, version), onlyRunning);

/** Strips `SVC-ROLE[-DEST]-` from each container name read on stdin, leaving the version. */
const extractVersion = (role: Role): Shell => cmd(`while read line; do echo \${line#${role.containerPrefix}-}; done`);

const latestImageId = (config: Config): Shell =>
  cmd("docker", "image", "ls", argumentize("--filter", `reference=${latestImage(config)}`), "--format", "'{{.ID}}'");

const latestContainer = (config: Config, role: Role, format: readonly string[], filters: readonly string[] = []): Shell =>
  cmd("docker", "ps", "--latest", format, containerFilterArgs(config, role, ACTIVE_STATUSES), argumentize("--filter", filters));

/**
 * The newest running container made from the image tagged latest, else the newest running container of the role:
 * after a rollback or a failed deploy the latest tag decides which container is current.
 */
function currentRunningContainer(config: Config, role: Role, format: readonly string[]): Shell {
  const fromLatestImage = latestContainer(config, role, format, [`ancestor=$(${render(latestImageId(config))})`]);
  return pipe(shellWrap(seq(fromLatestImage, latestContainer(config, role, format))), cmd("head", "-1"));
}

export const currentRunningContainerId = (config: Config, role: Role): Shell =>
  currentRunningContainer(config, role, ["--quiet"]);

/** The version of the current running container (empty when none). */
export const currentRunningVersion = (config: Config, role: Role): Shell =>
  pipe(currentRunningContainer(config, role, ["--format", "'{{.Names}}'"]), extractVersion(role));

/** Versions of the role's containers (running only, as `docker ps` lists), e.g. to find stale ones. */
export const listVersions = (config: Config, role: Role,
  opts: { dockerArgs?: readonly string[]; statuses?: readonly string[] } = {}): Shell =>
  pipe(cmd("docker", "ps", containerFilterArgs(config, role, opts.statuses), opts.dockerArgs ?? [], "--format", '"{{.Names}}"'),
    extractVersion(role));

/** `docker ps` of the role, for `app details`. */
export const info = (config: Config, role: Role): Shell => cmd("docker", "ps", containerFilterArgs(config, role));
