// Listing, renaming and removing an app role's containers and images (kamal lib/kamal/commands/app/containers.rb,
// app/images.rb).
import type { Config, Role } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { containerFilterArgs, containerIdFor, containerIdForVersion } from "./app-query.ts";
import { absoluteImage, containerName, latestImage } from "./names.ts";
import { cmd, pipe, type Shell } from "./shell.ts";

/** All the role's containers, any state; without a role, all of the service's (`app containers`). */
export const listContainers = (config: Config, role: Role | undefined): Shell =>
  cmd("docker", "container", "ls", "--all", containerFilterArgs(config, role));

export const listContainerNames = (config: Config, role: Role | undefined): Shell =>
  cmd(...listContainers(config, role).tokens, "--format", "'{{ .Names }}'");

export const removeContainer = (config: Config, role: Role, version: string): Shell =>
  pipe(containerIdFor(containerName(config, role, version)), cmd("xargs", "docker", "container", "rm"));

/**
 * Moves a clashing container out of the way before a boot, e.g. to `VER_replaced_<16 hex>`; the caller supplies
 * the new version text so this stays free of randomness.
 */
export const renameContainer = (config: Config, role: Role, version: string, newVersion: string): Shell =>
  cmd("docker", "rename", containerName(config, role, version), containerName(config, role, newVersion));

/** Removes every stopped container of the role. */
export const removeContainers = (config: Config, role: Role | undefined): Shell =>
  cmd("docker", "container", "prune", "--force", containerFilterArgs(config, role));

/** The health check log of a version's container, shown when a boot fails. */
export const containerHealthLog = (config: Config, role: Role, version: string): Shell =>
  pipe(containerIdForVersion(config, role, version), cmd("xargs", "docker", "inspect", "--format", "'{{json .State.Health}}'"));

export const listImages = (config: Config): Shell => cmd("docker", "image", "ls", config.repository);

/** Removes all unused images of the service (every role and destination). */
export const removeImages = (config: Config): Shell =>
  cmd("docker", "image", "prune", "--all", "--force", argumentize("--filter", [`label=service=${config.service}`]));

/** Marks `REPO:VER` as the current image; current-container detection and pruning key off this tag. */
export const tagLatestImage = (config: Config): Shell => cmd("docker", "tag", absoluteImage(config), latestImage(config));
