// A canary's containers on a host: a role's container for the canary version, named as Kamal names every version's
// container (`SVC-ROLE[-DEST]-VER`) and marked with one label of sextant's own, so a later run finds it by the label.
import type { Config, Role } from "../config/model.ts";
import { containerFilterArgs } from "./app-query.ts";
import * as app from "./app.ts";
import { cmd, type Shell } from "./shell.ts";

/** The label that marks a canary container; its value is the canary's version. */
export const CANARY_LABEL = "sextant.canary";

/** One line per canary container of the role, any state: `ID NAME STATE VERSION`. */
export const list = (config: Config, role: Role): Shell =>
  cmd("docker", "container", "ls", "--all", containerFilterArgs(config, role), "--filter", `label=${CANARY_LABEL}`,
    "--format", `'{{.ID}} {{.Names}} {{.State}} {{.Label "${CANARY_LABEL}"}}'`);

/** Kamal's `docker run` of the role's container for `config.version`, plus the canary label. */
export const run = (config: Config, role: Role, host: string, hostname: string): Shell =>
  app.run(config, role, host, { hostname, labels: { [CANARY_LABEL]: config.version } });

/** Stops canary containers as Kamal stops a role's old container (its stop timeout rules). */
export const stop = (config: Config, role: Role, names: readonly string[]): Shell =>
  cmd("docker", "stop", app.stopArgs(config, role), names);

export const remove = (names: readonly string[]): Shell => cmd("docker", "container", "rm", names);
