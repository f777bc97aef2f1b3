// `app logs` (kamal lib/kamal/commands/app/logging.rb). The grep pattern and options are the user's text,
// passed through as Kamal does: single quotes when run remotely, double quotes inside `ssh -t '...'`.
import type { Config, Role } from "../config/model.ts";
import { currentRunningContainerId } from "./app-query.ts";
import { cmd, pipe, type Shell } from "./shell.ts";
import { grepFor, shellWrap } from "./sh.ts";
import { runOverSsh } from "./ssh.ts";

export type LogOptions = {
  /** a container id to read instead of the current running container */
  readonly containerId?: string;
  readonly timestamps?: boolean;
  readonly since?: string;
  readonly lines?: number | string;
  readonly grep?: string;
  readonly grepOptions?: string;
};

const containerIdCommand = (config: Config, role: Role, containerId: string | undefined): Shell =>
  containerId === undefined ? currentRunningContainerId(config, role) : shellWrap(cmd(`echo ${containerId}`));

export function logs(config: Config, role: Role, opts: LogOptions = {}): Shell {
  const flags = [
    opts.timestamps === false ? "" : " --timestamps",
    opts.since === undefined ? "" : ` --since ${opts.since}`,
    opts.lines === undefined ? "" : ` --tail ${opts.lines}`,
  ].join("");
  return pipe(containerIdCommand(config, role, opts.containerId), cmd(`xargs docker logs${flags} 2>&1`),
    grepFor("'", opts.grep, opts.grepOptions));
}

/** What `logs --follow` runs on the host: the container's last lines, then new ones as they come. */
export function followingLogs(config: Config, role: Role, opts: Omit<LogOptions, "since"> = {}): Shell {
  const flags = [opts.timestamps === false ? "" : " --timestamps", opts.lines === undefined ? "" : ` --tail ${opts.lines}`].join("");
  return pipe(containerIdCommand(config, role, opts.containerId), cmd(`xargs docker logs${flags} --follow 2>&1`),
    grepFor('"', opts.grep, opts.grepOptions));
}

/** The local `ssh -t` line that follows the logs on `host`. */
export const followLogs = (config: Config, role: Role, host: string, opts: Omit<LogOptions, "since"> = {}): Shell =>
  runOverSsh(config.ssh, host, followingLogs(config, role, opts));
