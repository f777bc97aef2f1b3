// Booting, starting and stopping an app role's container on one host (kamal lib/kamal/commands/app.rb).
import { envFor } from "../config/env.ts";
import type { Config, ResolvedEnv, Role } from "../config/model.ts";
import { Secret } from "../config/secret.ts";
import { argumentize } from "./args.ts";
import { containerIdForVersion, currentRunningContainerId } from "./app-query.ts";
import { envFileBody } from "./env-file.ts";
import { absoluteImage, assetsDirectory, containerName, envDirectory, NETWORK, volumeArgs } from "./names.ts";
import { loggingArgs, optionArgs, restartPolicy, roleLabelArgs } from "./run-args.ts";
import { cmd, pipe, type Shell } from "./shell.ts";

/** `.kamal/apps/SVC[-DEST]/env/roles/ROLE.env`: uploaded (0600) before every boot; shared by all versions. */
export const envFilePath = (config: Config, role: Role): string => `${envDirectory(config)}/roles/${role.name}.env`;
export const ensureEnvDirectory = (config: Config): Shell => cmd("mkdir", "-p", `${envDirectory(config)}/roles`);
/** The env file's body: the role's secret env, escaped for docker's env-file reader. */
export const envFileContents = (env: ResolvedEnv): Secret => new Secret(envFileBody(env.secrets), "env file");

/** `--env K=V` for the host's clear env, then `--env-file` for the secrets. */
export const envArgs = (config: Config, role: Role, host: string): string[] => [
  ...argumentize("--env", envFor(config, role, host).clear),
  ...argumentize("--env-file", envFilePath(config, role)),
];

/** Asset bridging applies to roles behind kamal-proxy with an `asset_path` (`/path[:mount options]`). */
export const hasAssets = (role: Role): boolean => role.assetPath !== undefined && role.assetPath !== "" && role.proxy !== undefined;
export const assetExtractedDirectory = (config: Config, role: Role, version = config.version): string =>
  `${assetsDirectory(config)}/extracted/${role.name}-${version}`;
export const assetVolumeDirectory = (config: Config, role: Role, version = config.version): string =>
  `${assetsDirectory(config)}/volumes/${role.name}-${version}`;
/** `asset_path` is `/path[:mount options]`. */
export function assetPath(role: Role): { path: string; options: string | undefined } {
  const written = role.assetPath ?? "";
  const colon = written.indexOf(":");
  return colon < 0 ? { path: written, options: undefined } : { path: written.slice(0, colon), options: written.slice(colon + 1) };
}

export function assetVolumeArgs(config: Config, role: Role, version = config.version): string[] {
  if (!hasAssets(role)) return [];
  const { path, options } = assetPath(role);
  return volumeArgs(assetVolumeDirectory(config, role, version), path, options);
}

/** `<first 51 characters of the host, one trailing dot dropped>-<12 hex>`; the caller picks the random hex. */
export const containerHostname = (host: string, hex: string): string => `${host.slice(0, 51).replace(/\.$/, "")}-${hex}`;

/** The version a clashing container is renamed to before a boot: `VER_replaced_<16 hex>`. */
export const replacedVersion = (version: string, hex: string): string => `${version}_replaced_${hex}`;

/**
 * The app container for `config.version`. `hostname` (`<host>-<12 hex>` during boot) is the caller's, so this
 * stays free of randomness. `labels` come after Kamal's own (a canary's marker); Kamal never adds any.
 */
export function run(config: Config, role: Role, host: string, opts: { hostname?: string; labels?: Readonly<Record<string, string>> } = {}): Shell {
  const name = containerName(config, role);
  return cmd("docker", "run", "--detach", "--restart", restartPolicy(role.options), "--name", name, "--network", NETWORK,
    opts.hostname === undefined ? null : ["--hostname", opts.hostname],
    "--env", `KAMAL_CONTAINER_NAME="${name}"`,
    "--env", `KAMAL_VERSION="${config.version}"`,
    "--env", `KAMAL_HOST="${host}"`,
    config.destination === undefined ? null : ["--env", `KAMAL_DESTINATION="${config.destination}"`],
    envArgs(config, role, host),
    loggingArgs(role.logging),
    argumentize("--volume", config.volumes),
    assetVolumeArgs(config, role),
    roleLabelArgs(config, role),
    opts.labels === undefined ? null : argumentize("--label", opts.labels),
    optionArgs(role.options),
    absoluteImage(config),
    role.cmd);
}

export const start = (config: Config, role: Role): Shell => cmd("docker", "start", containerName(config, role));

/**
 * kamal-proxy drains requests before `deploy`/`remove` return, so proxied roles stop without waiting; other roles
 * get `-t <drain_timeout>` (role.rb `stop_args`). An explicit `stop_timeout` wins in both cases.
 */
export function stopArgs(config: Config, role: Role): string[] {
  const timeout = role.stopTimeout ?? config.stopTimeout ?? (role.proxy === undefined ? config.drainTimeout : undefined);
  return timeout === undefined ? [] : ["-t", String(timeout)];
}

/** Stops the given version, or the current running container. */
export function stop(config: Config, role: Role, opts: { version?: string } = {}): Shell {
  const target = opts.version === undefined ? currentRunningContainerId(config, role) : containerIdForVersion(config, role, opts.version);
  return pipe(target, cmd("xargs", "docker", "stop", stopArgs(config, role)));
}

/** `healthy`/`unhealthy`/`starting` when the image has a health check, else the container state (`running`...). */
export const status = (config: Config, role: Role, version: string): Shell =>
  pipe(containerIdForVersion(config, role, version),
    cmd("xargs", "docker", "inspect", "--format", "'{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}'"));
