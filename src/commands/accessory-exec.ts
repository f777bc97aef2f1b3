// `accessory exec`: a command in a fresh accessory container or in the running one
// (kamal lib/kamal/commands/accessory.rb).
import type { Accessory, Config } from "../config/model.ts";
import { envArgs, firstHost } from "./accessory.ts";
import { accessoryVolumeArgs } from "./accessory-files.ts";
import { argumentize } from "./args.ts";
import { interactiveArgs, optionArgs, type Interactive } from "./run-args.ts";
import { cmd, type Shell } from "./shell.ts";
import { runOverSsh } from "./ssh.ts";

type Command = readonly string[];

export const executeInExistingContainer = (accessory: Accessory, command: Command, opts: { interactive?: Interactive } = {}): Shell =>
  cmd("docker", "exec", interactiveArgs(opts.interactive), accessory.service, command);

/** A one-off container with the accessory's env, volumes and options (no name, labels or restart policy). */
export const executeInNewContainer = (config: Config, accessory: Accessory, command: Command,
  opts: { interactive?: Interactive } = {}): Shell =>
  cmd("docker", "run", interactiveArgs(opts.interactive), "--rm", argumentize("--network", accessory.network),
    envArgs(config, accessory), accessoryVolumeArgs(accessory), optionArgs(accessory.options), accessory.image, command);

/** The local `ssh -t` line for an interactive exec in the running container, on the accessory's first host. */
export const executeInExistingContainerOverSsh = (config: Config, accessory: Accessory, command: Command,
  opts: { tty?: boolean } = {}): Shell =>
  runOverSsh(config.ssh, firstHost(accessory),
    executeInExistingContainer(accessory, command, { interactive: opts.tty === false ? "pipe" : "tty" }));

/** The local `ssh -t` line for an interactive exec in a new container, on the accessory's first host. */
export const executeInNewContainerOverSsh = (config: Config, accessory: Accessory, command: Command,
  opts: { tty?: boolean } = {}): Shell =>
  runOverSsh(config.ssh, firstHost(accessory),
    executeInNewContainer(config, accessory, command, { interactive: opts.tty === false ? "pipe" : "tty" }));
