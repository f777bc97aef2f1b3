import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

/** `config migrate`: Kamal 1 configuration → Kamal 2, as a diff, written only with --write. */
export function registerConfigMigrate(config: Command, deps: CliDeps): void {
  config
    .command("migrate")
    .description("Rewrite a Kamal 1 config/deploy.yml (and destination files, .env secrets) for Kamal 2; prints a diff")
    .option("--write", "Write the changes (config files in place; a new .kamal/secrets is never overwritten)", false)
    .action(async (opts: { write: boolean }, cmd: Command) => {
      const { configFile, destination } = readGlobals(cmd);
      const { migrate } = await import("../config/migrate/migrate.ts");
      const { readProject, writeMigration } = await import("../config/migrate/project.ts");
      const { unifiedDiff } = await import("../config/migrate/diff.ts");
      const migration = migrate(readProject({ cwd: deps.io.cwd, configFile, destination }));
      if (migration.files.length > 0) {
        const diff = migration.files.map((file) => unifiedDiff(file.path, file.before, file.after)).join("");
        deps.reporter.result(diff.trimEnd(), { files: migration.files.map((file) => file.path), notes: migration.notes });
      }
      for (const note of migration.notes) deps.reporter.warn(`${note.file}: ${note.path ? `${note.path}: ` : ""}${note.message}`);
      if (migration.files.length === 0) deps.reporter.info(`${configFile} needs no changes for Kamal 2`);
      else if (!opts.write) deps.reporter.info("Nothing written: run `sextant config migrate --write` to apply these changes");
      else {
        for (const path of await writeMigration(deps.io.cwd, migration)) deps.reporter.info(`Wrote ${path}`);
        deps.reporter.info("Next: `sextant upgrade` moves the hosts from Traefik to kamal-proxy");
      }
    });
}
