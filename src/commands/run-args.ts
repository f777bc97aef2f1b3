// Pieces of `docker run` shared by app, exec and accessory containers (kamal lib/kamal/configuration/role.rb,
// accessory.rb, logging.rb).
import type { Config, DockerOptions, Logging, Role } from "../config/model.ts";
import { argumentize, isPresent, optionize } from "./args.ts";

/** `--log-driver` / `--log-opt`s as configured, else Kamal's default `--log-opt max-size="10m"`. */
export function loggingArgs(logging: Logging): string[] {
  if (!isPresent(logging.driver) && !isPresent(logging.options)) return argumentize("--log-opt", { "max-size": "10m" });
  return [...optionize(logging.driver === undefined ? {} : { "log-driver": logging.driver }), ...argumentize("--log-opt", logging.options)];
}

const withoutRestart = (options: DockerOptions): DockerOptions =>
  Object.fromEntries(Object.entries(options).filter(([key]) => key !== "restart"));

/** The `options:` of a role or accessory, minus `restart`, which goes to `--restart` instead. */
export const optionArgs = (options: DockerOptions): string[] => optionize(withoutRestart(options));

export const restartPolicy = (options: DockerOptions): string =>
  options.restart === undefined || options.restart === null ? "unless-stopped" : String(options.restart);

/** `service`, `role` and `destination` (bare when there is none), then the configured labels. */
export function roleLabelArgs(config: Config, role: Role): string[] {
  return argumentize("--label", { service: config.service, role: role.name, destination: config.destination, ...role.labels });
}

/** How an exec attaches: `tty` when local stdin is a terminal (`-it`), `pipe` when input is piped (`-i`). */
export type Interactive = "tty" | "pipe" | undefined;
export const interactiveArgs = (mode: Interactive): string | null => (mode === undefined ? null : mode === "tty" ? "-it" : "-i");
