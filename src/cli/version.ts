import type { Command } from "commander";
import { KAMAL_VERSION } from "../kamal-version.ts";
import type { CliDeps } from "./deps.ts";

export function registerVersion(program: Command, deps: CliDeps): void {
  program
    .command("version")
    .description("Show the sextant version and the Kamal release it is compatible with")
    .action(() => {
      // stdout holds the bare version, as `kamal version` prints it, so `$(kamal version)` in scripts keeps working.
      deps.reporter.result(deps.version, { version: deps.version, kamal: KAMAL_VERSION });
      deps.reporter.info(`compatible with Kamal ${KAMAL_VERSION}`);
    });
}
