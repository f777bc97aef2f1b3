// Asset bridging: old and new containers both see the union of their assets during a deploy
// (kamal lib/kamal/commands/app/assets.rb).
import type { Config, Role } from "../config/model.ts";
import { assetExtractedDirectory, assetPath, assetVolumeDirectory } from "./app.ts";
import { absoluteImage } from "./names.ts";
import { and, cmd, seq, type Shell } from "./shell.ts";

const dirname = (path: string): string => path.slice(0, path.lastIndexOf("/"));
const basename = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Copies the image's asset path into `.kamal/apps/SVC/assets/extracted/ROLE-VER` through a throwaway container. */
export function extractAssets(config: Config, role: Role): Shell {
  const helper = `${role.containerPrefix}-assets`;
  const extracted = assetExtractedDirectory(config, role);
  return and(
    cmd("mkdir", "-p", extracted),
    cmd("docker", "container", "rm", helper, "2> /dev/null", "|| true"),
    cmd("docker", "container", "create", "--name", helper, absoluteImage(config)),
    cmd("docker", "container", "cp", "-L", `${helper}:${assetPath(role).path}/.`, extracted),
    cmd("docker", "container", "rm", helper));
}

/** `cp -n` never overwrites, so each side keeps its own files and gains the other's. */
const copyContents = (from: string, to: string, continueOnError = false): Shell =>
  cmd("cp", "-rnT", from, to, continueOnError ? "|| true" : null);

export function syncAssetVolumes(config: Config, role: Role, opts: { oldVersion?: string } = {}): Shell {
  const newExtracted = assetExtractedDirectory(config, role);
  const newVolume = assetVolumeDirectory(config, role);
  const old = opts.oldVersion === undefined || opts.oldVersion === "" ? [] : [
    copyContents(newExtracted, assetVolumeDirectory(config, role, opts.oldVersion), true),
    copyContents(assetExtractedDirectory(config, role, opts.oldVersion), newVolume, true),
  ];
  return seq(cmd("mkdir", "-p", newVolume), copyContents(newExtracted, newVolume), ...old);
}

const removeOlderSiblings = (role: Role, path: string): Shell =>
  cmd("find", dirname(path), "-maxdepth 1", "-name", `'${role.name}-*'`, "!", "-name", basename(path), '-exec rm -rf "{}" +');

/** Removes the asset directories of every other version of the role, once the old container is stopped. */
export const cleanUpAssets = (config: Config, role: Role): Shell =>
  seq(removeOlderSiblings(role, assetExtractedDirectory(config, role)), removeOlderSiblings(role, assetVolumeDirectory(config, role)));
