// Accessory containers: databases, caches and the like, one container per host (kamal lib/kamal/commands/accessory.rb,
// accessory/proxy.rb, configuration/accessory.rb).
import type { Accessory, Config, ResolvedEnv } from "../config/model.ts";
import { Secret } from "../config/secret.ts";
import { argumentize } from "./args.ts";
import { envFileBody } from "./env-file.ts";
import { deployArgs } from "./proxy-args.ts";
import { envDirectory, PROXY_CONTAINER } from "./names.ts";
import { accessoryVolumeArgs } from "./accessory-files.ts";
import { loggingArgs, optionArgs, restartPolicy } from "./run-args.ts";
import { grepFor } from "./sh.ts";
import { cmd, pipe, type Shell } from "./shell.ts";
import { runOverSsh } from "./ssh.ts";

/** `.kamal/apps/SVC[-DEST]/env/accessories/NAME.env` (uploaded 0600 on boot). */
export const envFilePath = (config: Config, accessory: Accessory): string =>
  `${envDirectory(config)}/accessories/${accessory.name}.env`;
export const ensureEnvDirectory = (config: Config): Shell => cmd("mkdir", "-p", `${envDirectory(config)}/accessories`);
export const envFileContents = (env: ResolvedEnv): Secret => new Secret(envFileBody(env.secrets), "env file");

export const envArgs = (config: Config, accessory: Accessory): string[] => [
  ...argumentize("--env", accessory.env.clear),
  ...argumentize("--env-file", envFilePath(config, accessory)),
];

const serviceFilter = (accessory: Accessory): string[] => ["--filter", `label=service=${accessory.service}`];

/** `port: 3306` publishes `3306:3306`; `"127.0.0.1:3306:3306"` as written. */
const publishArgs = (port: string | undefined): string[] =>
  port === undefined ? [] : argumentize("--publish", port.includes(":") ? port : `${port}:${port}`);

/**
 * The accessory container. Root `logging` applies (not role logging) and root `env` does not. `host` adds
 * `KAMAL_HOST` (boot passes it; Kamal's bare builder leaves it out).
 */
export function run(config: Config, accessory: Accessory, opts: { host?: string } = {}): Shell {
  return cmd("docker", "run", "--name", accessory.service, "--detach", "--restart", restartPolicy(accessory.options),
    argumentize("--network", accessory.network),
    loggingArgs(config.logging),
    publishArgs(accessory.port),
    opts.host === undefined ? null : ["--env", `KAMAL_HOST="${opts.host}"`],
    envArgs(config, accessory),
    accessoryVolumeArgs(accessory),
    argumentize("--label", { service: accessory.service, ...accessory.labels }),
    optionArgs(accessory.options),
    accessory.image,
    accessory.cmd);
}

export const start = (accessory: Accessory): Shell => cmd("docker", "container", "start", accessory.service);
export const stop = (accessory: Accessory): Shell => cmd("docker", "container", "stop", accessory.service);

/** `docker ps` of the accessory; `all` includes stopped containers, `quiet` prints ids only (the "exists?" check). */
export const info = (accessory: Accessory, opts: { all?: boolean; quiet?: boolean } = {}): Shell =>
  cmd("docker", "ps", opts.all ? "-a" : null, opts.quiet ? "-q" : null, serviceFilter(accessory));

export type AccessoryLogOptions = { timestamps?: boolean; since?: string; lines?: number | string; grep?: string; grepOptions?: string };

/** Note Kamal's stray spaces: `docker logs app-mysql  --since 5m  --tail 100 --timestamps 2>&1`. */
export const logs = (accessory: Accessory, opts: AccessoryLogOptions = {}): Shell =>
  pipe(cmd("docker", "logs", accessory.service,
    opts.since === undefined ? null : ` --since ${opts.since}`,
    opts.lines === undefined ? null : ` --tail ${opts.lines}`,
    opts.timestamps === false ? null : "--timestamps", "2>&1"), grepFor("'", opts.grep, opts.grepOptions));

type FollowOptions = Omit<AccessoryLogOptions, "since" | "lines">;

/** The last 10 lines, then new ones as they come; `quote` wraps the grep pattern (`"` inside `ssh -t '...'`). */
export const followingLogs = (accessory: Accessory, opts: FollowOptions = {}, quote = "'"): Shell => pipe(
  cmd("docker", "logs", accessory.service, opts.timestamps === false ? null : "--timestamps", "--tail", "10", "--follow", "2>&1"),
  grepFor(quote, opts.grep, opts.grepOptions));

/** The local `ssh -t` line following the logs on the accessory's first host. */
export const followLogs = (config: Config, accessory: Accessory, opts: FollowOptions = {}): Shell =>
  runOverSsh(config.ssh, firstHost(accessory), followingLogs(accessory, opts, '"'));

/** Interactive commands and followed logs run on the accessory's first host. */
export function firstHost(accessory: Accessory): string {
  const host = accessory.hosts[0];
  if (host === undefined) throw new Error(`accessory ${accessory.name} has no hosts`);
  return host;
}

export const pullImage = (accessory: Accessory): Shell => cmd("docker", "image", "pull", accessory.image);
export const removeContainer = (accessory: Accessory): Shell =>
  cmd("docker", "container", "prune", "--force", serviceFilter(accessory));
export const removeImage = (accessory: Accessory): Shell => cmd("docker", "image", "rm", "--force", accessory.image);
/** Removes the accessory's files and relative data directories under the SSH user's home. */
export const removeServiceDirectory = (accessory: Accessory): Shell => cmd("rm", "-rf", accessory.service);

function proxyOf(accessory: Accessory) {
  if (accessory.proxy === undefined) throw new Error(`accessory ${accessory.name} does not run behind kamal-proxy`);
  return accessory.proxy;
}

/** Routes the accessory's service through kamal-proxy to `target` (a container id). */
export const deploy = (config: Config, accessory: Accessory, target: string): Shell =>
  cmd("docker", "exec", PROXY_CONTAINER, "kamal-proxy", "deploy", accessory.service,
    deployArgs(config, proxyOf(accessory), target, undefined));

export const remove = (accessory: Accessory): Shell =>
  cmd("docker", "exec", PROXY_CONTAINER, "kamal-proxy", "remove", accessory.service);
