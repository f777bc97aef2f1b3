// Which buildx setup a config builds with, and its names (kamal lib/kamal/commands/builder.rb,
// configuration/builder.rb, builder/{local,remote,hybrid,cloud}.rb).
import type { Config } from "../config/model.ts";

export type BuilderKind = "local" | "remote" | "hybrid" | "pack" | "cloud";

/** A config's builder resolved against this machine's docker architecture (`amd64`, `arm64`). */
export type BuildTarget = {
  readonly kind: BuilderKind;
  readonly arches: readonly string[];
  readonly localArches: readonly string[];
  readonly remoteArches: readonly string[];
  /** the buildx builder (`--builder`), undefined for the `docker` driver and pack */
  readonly name: string | undefined;
  /** the docker context of a remote builder */
  readonly contextName: string | undefined;
};

export const isDockerDriver = (config: Config): boolean => config.builder.driver === "docker";
const isCloud = (config: Config): boolean => config.builder.driver.startsWith("cloud");

/** Every character of the remote URL outside `[a-z0-9_-]` becomes `-`, plus `-local-registry` with a local registry. */
const remoteSuffix = (config: Config, remote: string): string =>
  `${remote.replace(/[^a-z0-9_-]/g, "-")}${config.registry.local ? "-local-registry" : ""}`;

function builderName(config: Config, kind: BuilderKind): string | undefined {
  const { driver, remote = "" } = config.builder;
  switch (kind) {
    case "local":
      if (isDockerDriver(config)) return undefined;
      return config.registry.local ? `kamal-local-registry-${driver}` : `kamal-local-${driver}`;
    case "remote": return `kamal-remote-${remoteSuffix(config, remote)}`;
    case "hybrid": return `kamal-hybrid-${driver}-${remoteSuffix(config, remote)}`;
    case "cloud": return driver.replace(/[ /]/g, "-");
    case "pack": return undefined;
  }
}

/**
 * With a remote builder, arches matching `localArch` build here (unless `local: false`) and the rest remotely:
 * some of each is a hybrid build.
 */
export function buildTarget(config: Config, localArch: string): BuildTarget {
  const { arch: arches, remote, local } = config.builder;
  const localArches = !local ? [] : remote !== undefined ? arches.filter((a) => a === localArch) : arches;
  const remoteArches = remote !== undefined ? arches.filter((a) => !localArches.includes(a)) : [];
  const buildsLocally = local && (arches.length === 0 || localArches.length > 0);
  const kind: BuilderKind = remoteArches.length > 0 ? (buildsLocally ? "hybrid" : "remote")
    : config.builder.pack !== undefined ? "pack" : isCloud(config) ? "cloud" : "local";
  const name = builderName(config, kind);
  const contextName = kind === "remote" || kind === "hybrid" ? `${name}-context` : undefined;
  return { kind, arches, localArches, remoteArches, name, contextName };
}

/** Remote builds skip the local registry login: the remote daemon pushes. */
export const logsInLocally = (target: BuildTarget): boolean => target.kind !== "remote" && target.kind !== "hybrid";

/** Environment for the push command: remote builders must not forward the client's registry token. */
export const pushEnv = (target: BuildTarget): Record<string, string> =>
  logsInLocally(target) ? {} : { BUILDKIT_NO_CLIENT_TOKEN: "1" };

/** Where `build create` checks it can reach a remote builder over SSH: the user and port come from the URL. */
export type BuilderHost = { readonly host: string; readonly user: string | undefined; readonly port: number | undefined };

/**
 * The SSH host of `builder.remote` (`ssh://app@1.1.1.5:2122`); undefined for other schemes (tcp://, unix://), which
 * Kamal does not check (kamal lib/kamal/cli/build.rb `connect_to_remote_host`).
 */
export function remoteBuilderHost(config: Config): BuilderHost | undefined {
  const remote = config.builder.remote;
  if (remote === undefined || !URL.canParse(remote)) return undefined;
  const url = new URL(remote);
  if (url.protocol !== "ssh:" || url.hostname === "") return undefined;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    user: url.username === "" ? undefined : decodeURIComponent(url.username),
    port: url.port === "" ? undefined : Number(url.port),
  };
}
