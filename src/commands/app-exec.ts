// `app exec`: a command in a fresh container or in the running one (kamal lib/kamal/commands/app/execution.rb).
import type { Config, Role } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { envArgs } from "./app.ts";
import { absoluteImage, containerName, NETWORK } from "./names.ts";
import { interactiveArgs, loggingArgs, optionArgs, type Interactive } from "./run-args.ts";
import { cmd, type Shell } from "./shell.ts";
import { runOverSsh } from "./ssh.ts";

export type ExecOptions = {
  /** extra `--env K=V` from `app exec -e` */
  readonly env?: Readonly<Record<string, string>>;
  readonly interactive?: Interactive;
};

/** `SVC-ROLE[-DEST]-exec-VER-<suffix>`; the caller picks the random 6-hex suffix. */
export const execContainerName = (config: Config, role: Role, suffix: string): string =>
  `${role.containerPrefix}-exec-${config.version}-${suffix}`;

export const executeInExistingContainer = (config: Config, role: Role, command: readonly string[], opts: ExecOptions = {}): Shell =>
  cmd("docker", "exec", interactiveArgs(opts.interactive), argumentize("--env", opts.env ?? {}), containerName(config, role), command);

/**
 * A one-off container with the role's env, logging, volumes and options, but no labels, `KAMAL_*` env, asset
 * volume or restart policy. `--rm` unless detached.
 */
export function executeInNewContainer(config: Config, role: Role, host: string, command: readonly string[],
  opts: ExecOptions & { detach?: boolean; suffix: string }): Shell {
  return cmd("docker", "run", interactiveArgs(opts.interactive), opts.detach ? "--detach" : "--rm",
    "--name", execContainerName(config, role, opts.suffix), "--network", NETWORK,
    envArgs(config, role, host), argumentize("--env", opts.env ?? {}), loggingArgs(role.logging),
    argumentize("--volume", config.volumes), optionArgs(role.options), absoluteImage(config), command);
}

/** The local `ssh -t` line for an interactive exec in the running container on `host`. */
export const executeInExistingContainerOverSsh = (config: Config, role: Role, host: string, command: readonly string[],
  opts: { env?: Readonly<Record<string, string>>; tty?: boolean } = {}): Shell =>
  runOverSsh(config.ssh, host,
    executeInExistingContainer(config, role, command, { env: opts.env, interactive: opts.tty === false ? "pipe" : "tty" }));

/** The local `ssh -t` line for an interactive exec in a new container on `host`. */
export const executeInNewContainerOverSsh = (config: Config, role: Role, host: string, command: readonly string[],
  opts: { env?: Readonly<Record<string, string>>; tty?: boolean; suffix: string }): Shell =>
  runOverSsh(config.ssh, host, executeInNewContainer(config, role, host, command,
    { env: opts.env, suffix: opts.suffix, interactive: opts.tty === false ? "pipe" : "tty" }));
