// Building and pushing the app image on this machine, and pulling it on hosts
// (kamal lib/kamal/commands/builder/*.rb).
import type { Config } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { buildContext, buildOptions, tagArgs } from "./builder-options.ts";
import { pushWithoutBuildx } from "./builder-fallback.ts";
import { isDockerDriver, type BuildTarget } from "./builder-target.ts";
import { pushWithPack } from "./builder-pack.ts";
import { absoluteImage } from "./names.ts";
import { and, cmd, or, pipe, seq, type Shell } from "./shell.ts";

export type PushOptions = {
  /** buildx `--output=type=...`; `registry` pushes */
  readonly output?: string;
  /** `build dev`: tags `VER-dirty` and `latest-dirty` */
  readonly tagAsDirty?: boolean;
  readonly noCache?: boolean;
  /**
   * false: build with plain `docker build` and `docker push`, for machines without the buildx plugin (see
   * builder-fallback.ts). Only a local single-platform build can do without buildx.
   */
  readonly buildx?: boolean;
};

const platformArgs = (arches: readonly string[]): string[] =>
  arches.length === 0 ? [] : argumentize("--platform", arches.map((arch) => `linux/${arch}`).join(","));

/** Builds for every configured arch and pushes both tags in one buildx run (pack: build, then docker push). */
export function push(config: Config, target: BuildTarget, opts: PushOptions = {}): Shell {
  if (target.kind === "pack") return pushWithPack(config, target, opts);
  if (opts.buildx === false) return pushWithoutBuildx(config, opts);
  return cmd("docker", "buildx", "build", `--output=type=${opts.output ?? "registry"}`, platformArgs(target.arches),
    target.name === undefined ? null : ["--builder", target.name],
    tagArgs(config, opts.tagAsDirty), buildOptions(config), opts.noCache ? "--no-cache" : null, buildContext(config), "2>&1");
}

const driverOptions = (config: Config): string[] => (config.registry.local ? ["--driver-opt", "network=host"] : []);

function createRemoteContext(config: Config, target: BuildTarget): Shell {
  return cmd("docker", "context", "create", target.contextName ?? "", "--description", `'${target.name} host'`,
    "--docker", `'host=${config.builder.remote}'`);
}

/** Creates the buildx builder (and the remote docker context); undefined when there is nothing to create. */
export function create(config: Config, target: BuildTarget): Shell | undefined {
  const name = target.name ?? "";
  switch (target.kind) {
    case "local":
      return isDockerDriver(config) ? undefined
        : cmd("docker", "buildx", "create", "--name", name, `--driver=${config.builder.driver}`, driverOptions(config));
    case "remote":
      return seq(createRemoteContext(config, target),
        cmd("docker", "buildx", "create", "--name", name, driverOptions(config), target.contextName ?? ""));
    case "hybrid":
      return and(
        cmd("docker", "buildx", "create", platformArgs(target.localArches), "--name", name, `--driver=${config.builder.driver}`,
          driverOptions(config)),
        createRemoteContext(config, target),
        cmd("docker", "buildx", "create", platformArgs(target.remoteArches), "--append", "--name", name, driverOptions(config),
          target.contextName ?? ""));
    case "cloud":
      return cmd("docker", "buildx", "create", "--driver", config.builder.driver);
    case "pack":
      return undefined;
  }
}

export function remove(config: Config, target: BuildTarget): Shell | undefined {
  const name = target.name ?? "";
  switch (target.kind) {
    case "local": return isDockerDriver(config) ? undefined : cmd("docker", "buildx", "rm", name);
    case "remote":
    case "hybrid": return seq(cmd("docker", "context", "rm", target.contextName ?? ""), cmd("docker", "buildx", "rm", name));
    case "cloud": return cmd("docker", "buildx", "rm", name);
    case "pack": return undefined;
  }
}

/**
 * Fails when the builder is missing or (remote) points elsewhere; the flow then recreates it. Messages it
 * recognises: "context not found", "no builder", "no compatible builder", "does not exist".
 */
export function inspectBuilder(config: Config, target: BuildTarget): Shell | undefined {
  const name = target.name ?? "";
  switch (target.kind) {
    case "remote":
    case "hybrid": {
      const context = target.contextName ?? "";
      return or(
        and(pipe(cmd("docker", "buildx", "inspect", name), cmd("grep", "-q", `Endpoint:.*${context}`)),
          pipe(cmd("docker", "context", "inspect", context, "--format", "'{{.Endpoints.docker.Host}}'"),
            cmd("grep", "-xq", config.builder.remote ?? ""))),
        cmd("(echo no compatible builder && exit 1)"));
    }
    case "pack": return cmd("pack", "builder", "inspect", config.builder.pack?.builder ?? "");
    default: return isDockerDriver(config) ? undefined : cmd("docker", "buildx", "inspect", name);
  }
}

/** `build details` */
export function info(config: Config, target: BuildTarget): Shell {
  if (target.kind === "pack") return cmd("pack", "builder", "inspect", config.builder.pack?.builder ?? "");
  const both = [cmd("docker", "context", "ls"), cmd("docker", "buildx", "ls")];
  return target.kind === "remote" || target.kind === "hybrid" ? seq(...both) : and(...both);
}

export const ensureDockerInstalled = (): Shell => and(cmd("docker", "--version"), cmd("docker", "buildx", "version"));

/** On hosts: drop a stale local copy of the version before pulling (failure ignored). */
export const clean = (config: Config): Shell => cmd("docker", "image", "rm", "--force", absoluteImage(config));
export const pull = (config: Config): Shell => cmd("docker", "pull", absoluteImage(config));

/** Refuses images without the `service` label, so another app's image is never booted by mistake. */
export const validateImage = (config: Config): Shell =>
  pipe(cmd("docker", "inspect", "-f", "'{{ .Config.Labels.service }}'", absoluteImage(config)),
    or(cmd("grep", "-x", config.service), cmd(`(echo "Image ${absoluteImage(config)} is missing the 'service' label" && exit 1)`)));

/** The host's first registry mirror; pulls go first to one host per mirror to seed it. */
export const firstMirror = (): Shell => cmd("docker", "info", "--format '{{index .RegistryConfig.Mirrors 0}}'");
