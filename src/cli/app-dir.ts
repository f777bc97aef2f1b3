import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_CONFIG_PATH, findConfig, searchedPlaces, type ConfigSearch } from "../config/find-config.ts";
import { ConfigError } from "../errors.ts";
import type { CliReporter } from "../output/reporter.ts";
import type { CliIo } from "./deps.ts";
import type { Globals } from "./globals.ts";

/** A run's io moved to its app; `search` is undefined when -c named the config. */
export type App = { readonly io: CliIo; readonly search: ConfigSearch | undefined };

/**
 * The io a run works in: the environment with the --env-file files added, and, without -c, the app's root (the
 * nearest directory holding config/deploy.yml) as cwd, because Kamal resolves .kamal/secrets, hooks, the build
 * context and every other relative path in the config from there. With -c, the path is relative to the current
 * directory, which stays the cwd, as in Kamal. Env file paths are relative to the current directory too.
 */
export async function locateApp(globals: Globals, io: CliIo): Promise<App> {
  const env = globals.envFiles.length === 0 ? io.env : (await import("../config/env-file.ts")).withEnvFiles(io.env, globals.envFiles, io.cwd);
  if (!globals.searchConfig) return { io: { ...io, env }, search: undefined };
  const search = findConfig(io.cwd, existsSync);
  return { io: { ...io, env, cwd: search.found ? search.root : io.cwd }, search };
}

/**
 * locateApp for a command that needs the config: says which config it uses when it was found above the current
 * directory, and stops with the usual "not found" error, saying where it looked, when there is none.
 */
export async function enterApp(globals: Globals, io: CliIo, reporter: CliReporter): Promise<CliIo> {
  const app = await locateApp(globals, io);
  if (app.search?.found === false) {
    throw new ConfigError([{
      file: DEFAULT_CONFIG_PATH,
      path: "",
      message: `Configuration file not found in ${join(io.cwd, DEFAULT_CONFIG_PATH)}`,
      fix: `${searchedPlaces(app.search)}; run \`${io.programName ?? "sextant"} init\` in the app's root directory to create one, or pass -c PATH`,
    }]);
  }
  const using = foundAbove(app, io);
  if (using !== undefined) reporter.info(`Using ${using}`);
  return app.io;
}

/** The config's path when it was found above the current directory, so the run says which one it uses. */
export function foundAbove(app: App, io: CliIo): string | undefined {
  return app.search?.found && app.search.root !== resolve(io.cwd) ? join(app.search.root, DEFAULT_CONFIG_PATH) : undefined;
}
