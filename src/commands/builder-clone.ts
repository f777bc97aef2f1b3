// Building from a fresh git clone of the working tree, so uncommitted files never reach the image
// (kamal lib/kamal/commands/builder/clone.rb, configuration/builder.rb `clone_directory`, `build_directory`).
import { createHash } from "node:crypto";
import type { Config } from "../config/model.ts";
import { cmd, type Shell } from "./shell.ts";

/** Ruby's `Shellwords.escape`: a backslash before every character outside `[A-Za-z0-9_\-.,:+/@]`. */
export function shellEscape(text: string): string {
  if (text === "") return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, "\\$&").replace(/\n/g, "'\n'");
}

/** Where the clone lives and where the build runs; computed from the machine's paths, given by the flow. */
export type ClonePaths = { readonly cloneDirectory: string; readonly buildDirectory: string; readonly gitRoot: string };

/**
 * `<tmpdir>/kamal-clones/<SVC>-<first 13 hex of sha256(cwd)>`, and inside it the repository's directory name
 * plus the working directory's path relative to the repository root.
 */
export function clonePaths(config: Config, machine: { tmpdir: string; cwd: string; gitRoot: string }): ClonePaths {
  const sha = createHash("sha256").update(machine.cwd).digest("hex").slice(0, 13);
  const cloneDirectory = `${machine.tmpdir}/kamal-clones/${config.service}-${sha}`;
  const repoName = machine.gitRoot.slice(machine.gitRoot.lastIndexOf("/") + 1);
  const relative = machine.cwd.startsWith(machine.gitRoot) ? machine.cwd.slice(machine.gitRoot.length) : "";
  return { cloneDirectory, buildDirectory: `${cloneDirectory}/${repoName}${relative}`, gitRoot: machine.gitRoot };
}

const git = (path: string, ...args: string[]): Shell => cmd("git", "-C", shellEscape(path), ...args);

export const clone = (paths: ClonePaths): Shell => git(paths.cloneDirectory, "clone", shellEscape(paths.gitRoot), "--recurse-submodules");

/** Brings an existing clone to `revision` (the local HEAD) and nothing else; `gc` bounds the pack growth. */
export const cloneResetSteps = (paths: ClonePaths, revision: string): Shell[] => [
  git(paths.buildDirectory, "remote", "set-url", "origin", shellEscape(paths.gitRoot)),
  git(paths.buildDirectory, "fetch", "origin"),
  git(paths.buildDirectory, "reset", "--hard", revision),
  git(paths.buildDirectory, "clean", "-fdx"),
  git(paths.buildDirectory, "submodule", "update", "--init"),
  git(paths.buildDirectory, "gc", "--auto", "--quiet"),
];

/** Must print nothing: a dirty clone means the reset failed. */
export const cloneStatus = (paths: ClonePaths): Shell => git(paths.buildDirectory, "status", "--porcelain");
/** Must print the local HEAD. */
export const cloneRevision = (paths: ClonePaths): Shell => git(paths.buildDirectory, "rev-parse", "HEAD");

/** Kamal builds from a clone when the working directory is in a git repository and `builder.context` is not set. */
export const buildsFromClone = (config: Config, inGitRepository: boolean): boolean =>
  inGitRepository && config.builder.context === undefined;
