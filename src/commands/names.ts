// Remote names and paths, byte for byte Kamal's (kamal lib/kamal/configuration.rb, configuration/role.rb,
// configuration/proxy/boot.rb). Relative paths are relative to the SSH user's home directory on the host.
import type { Config, Role } from "../config/model.ts";

/** configuration.rb `run_directory`: always `.kamal` (the `run_directory` key is ignored by Kamal 2). */
export const RUN_DIRECTORY = ".kamal";
/** The docker network app containers and kamal-proxy share (app.rb, proxy.rb hard-code it). */
export const NETWORK = "kamal";
/** proxy/boot.rb `container_name`. */
export const PROXY_CONTAINER = "kamal-proxy";
/** proxy/run.rb MINIMUM_VERSION: the oldest kamal-proxy Kamal 2.12 boots or accepts. */
export const PROXY_MINIMUM_VERSION = "v0.9.2";
export const PROXY_DIRECTORY = `${RUN_DIRECTORY}/proxy`;
export const PROXY_APPS_DIRECTORY = `${PROXY_DIRECTORY}/apps-config`;
export const PROXY_APPS_CONTAINER_DIRECTORY = "/home/kamal-proxy/.apps-config";

export const appsDirectory = (): string => `${RUN_DIRECTORY}/apps`;
/** `.kamal/apps/SVC[-DEST]`: its presence marks the app as installed on the host. */
export const appDirectory = (config: Config): string => `${appsDirectory()}/${config.serviceWithDestination}`;
export const envDirectory = (config: Config): string => `${appDirectory(config)}/env`;
export const assetsDirectory = (config: Config): string => `${appDirectory(config)}/assets`;

export const latestTag = (config: Config): string => ["latest", config.destination].filter(Boolean).join("-");
/** `REPO:VER` */
export const absoluteImage = (config: Config): string => `${config.repository}:${config.version}`;
/** `REPO:latest[-DEST]`: which image is "current" on a host is decided by this tag. */
export const latestImage = (config: Config): string => `${config.repository}:${latestTag(config)}`;

/** `SVC-ROLE[-DEST]-VER` */
export const containerName = (config: Config, role: Role, version = config.version): string =>
  `${role.containerPrefix}-${version}`;

/** `.kamal/proxy/apps-config/SVC[-DEST]` on the host, `/home/kamal-proxy/.apps-config/SVC[-DEST]` in kamal-proxy. */
export const proxyAppDirectory = (config: Config): string => `${PROXY_APPS_DIRECTORY}/${config.serviceWithDestination}`;
export const proxyAppContainerDirectory = (config: Config): string =>
  `${PROXY_APPS_CONTAINER_DIRECTORY}/${config.serviceWithDestination}`;
export const errorPagesDirectory = (config: Config): string => `${proxyAppDirectory(config)}/error_pages`;
export const errorPagesContainerDirectory = (config: Config): string => `${proxyAppContainerDirectory(config)}/error_pages`;
export const tlsDirectory = (config: Config): string => `${proxyAppDirectory(config)}/tls`;
export const tlsContainerDirectory = (config: Config): string => `${proxyAppContainerDirectory(config)}/tls`;

/** configuration/volume.rb: relative host paths are anchored at `$PWD` (the SSH user's home). */
export function volumeArgs(hostPath: string, containerPath: string, options?: string): string[] {
  const host = hostPath.startsWith("/") ? hostPath : `$PWD/${hostPath}`;
  return ["--volume", `${host}:${containerPath}${options ? `:${options}` : ""}`];
}
