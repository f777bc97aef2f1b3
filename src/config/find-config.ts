import { dirname, join, resolve } from "node:path";

/** Where Kamal looks for the config, relative to the app's root directory. */
export const DEFAULT_CONFIG_PATH = "config/deploy.yml";

export type ConfigSearch =
  | { readonly found: true; readonly root: string }
  /** `stop` is the last directory searched; `reason` says why the search stopped there */
  | { readonly found: false; readonly start: string; readonly stop: string; readonly reason: "git" | "filesystem" };

/**
 * The app's root directory for a run started in `start`: the nearest directory, `start` or one of its parents,
 * that holds config/deploy.yml, as git and npm find their roots. The search ends at the root of the git
 * repository `start` is in (the directory holding `.git`, a directory or, in worktrees and submodules, a file):
 * an app's config lives in its repository, and a config/deploy.yml in some enclosing directory belongs to another app.
 * Outside a repository it ends at the filesystem root.
 */
export function findConfig(start: string, exists: (path: string) => boolean): ConfigSearch {
  const from = resolve(start);
  for (let dir = from; ; dir = dirname(dir)) {
    if (exists(join(dir, DEFAULT_CONFIG_PATH))) return { found: true, root: dir };
    if (exists(join(dir, ".git"))) return { found: false, start: from, stop: dir, reason: "git" };
    if (dirname(dir) === dir) return { found: false, start: from, stop: dir, reason: "filesystem" };
  }
}

/** Where a failed search looked, for the hint of the "not found" error. */
export function searchedPlaces(search: ConfigSearch & { found: false }): string {
  const stop = search.reason === "git" ? `${search.stop} (the root of its git repository)` : `${search.stop} (the filesystem root)`;
  return search.start === search.stop ? `looked only in ${stop}` : `looked in ${search.start} and each parent up to ${stop}`;
}
