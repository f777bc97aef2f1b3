// The kamal-proxy container on a host (kamal lib/kamal/commands/proxy.rb, configuration/proxy/run.rb).
// With `proxy.run` in the config the container is run from it; without, from the legacy boot-config files.
import type { Config, ProxyRun } from "../config/model.ts";
import { optionize } from "./args.ts";
import { logMaxSizeArgs, publishArgs, runCommand } from "./proxy-run-args.ts";
import { readBootConfig } from "./proxy-boot-config.ts";
import { NETWORK, PROXY_APPS_CONTAINER_DIRECTORY, PROXY_APPS_DIRECTORY, PROXY_CONTAINER, PROXY_DIRECTORY, volumeArgs } from "./names.ts";
import { and, cmd, or, pipe, seq, type Shell } from "./shell.ts";
import { grepFor } from "./sh.ts";
import { runOverSsh } from "./ssh.ts";

const TITLE_FILTER = "label=org.opencontainers.image.title=kamal-proxy";

/** The `proxy.run` settings in force on a host: those of the first role or accessory there that has them. */
export function proxyRunFor(config: Config, host: string): ProxyRun | undefined {
  const owners = [...config.roles, ...config.accessories].filter((owner) => owner.hosts.includes(host));
  return owners.map((owner) => owner.proxy?.run).find((run) => run !== undefined);
}

const dockerRun = (): string[] => [
  "docker", "run", "--name", PROXY_CONTAINER, "--network", NETWORK, "--detach", "--restart", "unless-stopped",
  "--volume", "kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy",
  ...volumeArgs(PROXY_APPS_DIRECTORY, PROXY_APPS_CONTAINER_DIRECTORY),
];

/** Runs kamal-proxy: from `proxy.run` when given, else from the boot-config files on the host. */
export function run(proxyRun: ProxyRun | undefined): Shell {
  if (proxyRun === undefined) return pipe(readBootConfig(), cmd("xargs", ...dockerRun()));
  const image = `${[proxyRun.registry, proxyRun.repository].filter((p) => p !== undefined).join("/")}:${proxyRun.version}`;
  return cmd(...dockerRun(),
    proxyRun.publish ? publishArgs(proxyRun.httpPort, proxyRun.httpsPort, proxyRun.bindIps) : null,
    logMaxSizeArgs(proxyRun.logMaxSize),
    proxyRun.metricsPort === undefined ? null : `--expose=${proxyRun.metricsPort}`,
    optionize(proxyRun.options),
    image,
    runCommand(proxyRun.debug, proxyRun.metricsPort));
}

export const start = (): Shell => cmd("docker", "container", "start", PROXY_CONTAINER);
export const stop = (name = PROXY_CONTAINER): Shell => cmd("docker", "container", "stop", name);
/** `proxy boot`: restart a stopped proxy, or run a new one. */
export const startOrRun = (proxyRun: ProxyRun | undefined): Shell => or(start(), run(proxyRun));

export const info = (): Shell => cmd("docker", "ps", "--filter", `'name=^${PROXY_CONTAINER}$'`);
/** The running proxy's image tag, e.g. `v0.9.2`; `proxy boot` refuses tags older than the minimum. */
export const version = (): Shell =>
  pipe(cmd("docker", "inspect", PROXY_CONTAINER, "--format '{{.Config.Image}}'"), cmd("awk", "-F:", "'{print $NF}'"));

export type ProxyLogOptions = { timestamps?: boolean; since?: string; lines?: number | string; grep?: string; grepOptions?: string };

export const logs = (opts: ProxyLogOptions = {}): Shell =>
  pipe(cmd("docker", "logs", PROXY_CONTAINER,
    opts.since === undefined ? null : `--since ${opts.since}`,
    opts.lines === undefined ? null : `--tail ${opts.lines}`,
    opts.timestamps === false ? null : "--timestamps", "2>&1"), grepFor("'", opts.grep, opts.grepOptions));

type FollowOptions = Omit<ProxyLogOptions, "since" | "lines">;

/** The last 10 lines, then new ones as they come; the grep pattern in double quotes, as Kamal sends it. */
export const followingLogs = (opts: FollowOptions = {}): Shell => pipe(
  cmd("docker", "logs", PROXY_CONTAINER, opts.timestamps === false ? null : "--timestamps", "--tail", "10", "--follow", "2>&1"),
  grepFor('"', opts.grep, opts.grepOptions));

/** The local `ssh -t` line following the logs on `host`. */
export const followLogs = (config: Config, host: string, opts: FollowOptions = {}): Shell =>
  runOverSsh(config.ssh, host, followingLogs(opts));

export const removeContainer = (): Shell => cmd("docker", "container", "prune", "--force", "--filter", TITLE_FILTER);
export const removeImage = (): Shell => cmd("docker", "image", "prune", "--all", "--force", "--filter", TITLE_FILTER);

/** `proxy upgrade` from Kamal 1: stop and remove Traefik. */
export function cleanupTraefik(): Shell {
  const traefik = "label=org.opencontainers.image.title=Traefik";
  return seq(cmd("docker", "container", "stop", "traefik"),
    and(cmd("docker", "container", "prune", "--force", "--filter", traefik),
      cmd("docker", "image", "prune", "--all", "--force", "--filter", traefik)));
}

export const ensureProxyDirectory = (): Shell => cmd("mkdir", "-p", PROXY_DIRECTORY);
export const removeProxyDirectory = (): Shell => cmd("rm", "-r", PROXY_DIRECTORY);
export const ensureAppsConfigDirectory = (): Shell => cmd("mkdir", "-p", PROXY_APPS_DIRECTORY);
