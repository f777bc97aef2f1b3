import type { Command } from "commander";
import { toYaml } from "../output/yaml-text.ts";
import { registerConfigMigrate } from "./config-migrate.ts";
import { loadConfigFor } from "./context.ts";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

export function registerConfig(program: Command, deps: CliDeps): void {
  const config = program
    .command("config")
    .description("Show the combined config (hosts, roles, image, ssh, builder, accessories)")
    .action(async (_opts: unknown, cmd: Command) => {
      const loaded = await loadConfigFor(readGlobals(cmd), deps.io, deps.reporter);
      const { configView, rubyConfigView } = await import("./config-view.ts");
      const view = configView(loaded);
      deps.reporter.result(toYaml(rubyConfigView(loaded, view)), view);
    });

  config
    .command("schema")
    .description("Print the JSON Schema of config/deploy.yml, for editors")
    .action(async () => {
      const { configJsonSchema } = await import("../config/json-schema.ts");
      const schema = configJsonSchema();
      deps.reporter.result(JSON.stringify(schema, null, 2), schema);
    });

  registerConfigMigrate(config, deps);
}
