// The files `sextant config migrate` reads and writes: the main config and its destination files, the Kamal 1
// `.env` files, and the secrets files Kamal 2 reads. The only part of migrate/ that touches the disk.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { ConfigError } from "../../errors.ts";
import { destinationFile } from "../load.ts";
import type { ConfigFile, MigrateInput, Migration } from "./migrate.ts";
import type { EnvFile } from "./secrets.ts";

/** The files to migrate: `configFile` and either the one destination asked for or every one next to it. */
export function readProject(options: { cwd: string; configFile: string; destination: string | undefined; localArch?: string }): MigrateInput {
  const { cwd, configFile } = options;
  const destinations = options.destination === undefined ? destinationsOf(resolve(cwd, configFile)) : [options.destination];
  const configs: ConfigFile[] = [
    { path: configFile, text: read(cwd, configFile) },
    ...destinations.map((destination) => ({ path: destinationFile(configFile, destination), text: read(cwd, destinationFile(configFile, destination)), destination })),
  ];
  const envNames = [".env", ...destinations.map((destination) => `.env.${destination}`)].flatMap((name) => [name, `${name}.erb`]);
  const envFiles: EnvFile[] = envNames.filter((name) => existsSync(join(cwd, name))).map((name) => ({ path: name, text: readFileSync(join(cwd, name), "utf8") }));
  const secretsNames = [".kamal/secrets", ...destinations.map((destination) => `.kamal/secrets.${destination}`)];
  const existingSecrets = new Map(secretsNames.filter((name) => existsSync(join(cwd, name))).map((name) => [name, readFileSync(join(cwd, name), "utf8")]));
  return { configs, envFiles, existingSecrets, localArch: options.localArch ?? dockerArch() };
}

/** Writes the migrated files; a new secrets file is created 0600 (it may hold values copied from .env), never replaced. */
export async function writeMigration(cwd: string, migration: Migration): Promise<string[]> {
  const written: string[] = [];
  for (const file of migration.files) {
    const path = join(cwd, file.path);
    await mkdir(dirname(path), { recursive: true });
    if (file.before === undefined) {
      await writeFile(path, file.after, { mode: 0o600, flag: "wx" });
      await chmod(path, 0o600);
    } else await writeFile(path, file.after);
    written.push(file.path);
  }
  return written;
}

/** This machine's architecture as Docker names it: what a Kamal 1 `multiarch: false` build was for. */
const dockerArch = () => (process.arch === "x64" ? "amd64" : process.arch);

function read(cwd: string, file: string): string {
  const path = resolve(cwd, file);
  if (!existsSync(path))
    throw new ConfigError([{ file, path: "", message: `Configuration file not found in ${path}`, fix: "run `sextant config migrate` in the app's directory, or pass -c PATH / check -d" }]);
  return readFileSync(path, "utf8");
}

/** `deploy.staging.yml` next to `deploy.yml` → staging. */
function destinationsOf(mainPath: string): string[] {
  const stem = basename(mainPath, extname(mainPath));
  let names: string[];
  try {
    names = readdirSync(dirname(mainPath));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(`${stem}.`) && name.endsWith(".yml") && name !== basename(mainPath))
    .map((name) => name.slice(stem.length + 1, -".yml".length))
    .sort();
}
