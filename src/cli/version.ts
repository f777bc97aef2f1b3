import type { Command } from "commander";
import { KAMAL_VERSION } from "../kamal-version.ts";
import type { CliDeps } from "./deps.ts";

export function registerVersion(program: Command, deps: CliDeps): void {
  program
    .command("version")
    .description("Show the sextant version and the Kamal release it is compatible with")
    .action(() =>
      deps.reporter.result(`${deps.version} (compatible with Kamal ${KAMAL_VERSION})`, { version: deps.version, kamal: KAMAL_VERSION }),
    );
}
