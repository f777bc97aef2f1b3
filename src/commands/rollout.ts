// kamal-proxy's rollout commands (kamal-proxy v0.9.2 internal/cmd/rollout_deploy.go, rollout_set.go,
// rollout_stop.go). Kamal 2.12 never sends them, so they follow its other proxy commands' shape:
// `docker exec kamal-proxy kamal-proxy ...` with `--flag="value"` words.
import type { Config, Role } from "../config/model.ts";
import { optionize } from "./args.ts";
import { proxyExec, proxyOf } from "./app-proxy.ts";
import { PROXY_CONTAINER } from "./names.ts";
import { cmd, type Shell } from "./shell.ts";

/**
 * Where kamal-proxy saves its routing table, rollout targets and split included (server/config.go StatePath: the
 * `kamal-proxy` user's home in the image, which Kamal's `kamal-proxy-config` volume holds).
 */
export const PROXY_STATE_FILE = "/home/kamal-proxy/.config/kamal-proxy/kamal-proxy.state";

/**
 * Health-checks `target` (a container id) with the service's stored health check and makes it the service's rollout
 * target. The active target keeps all traffic until `setPercent`.
 */
export const deploy = (config: Config, role: Role, target: string): Shell =>
  proxyExec("rollout", "deploy", role.containerPrefix, ...optionize({
    target: `${target}:${proxyOf(role).appPort}`,
    "deploy-timeout": `${config.deployTimeout}s`,
    "drain-timeout": `${config.drainTimeout}s`,
  }, { joinWith: "=" }));

/** Sends requests whose `kamal-rollout` cookie hashes into the first `percent` of the range to the rollout target. */
export const setPercent = (role: Role, percent: number): Shell =>
  proxyExec("rollout", "set", role.containerPrefix, `--percent=${percent}`);

/** Sends every request to the active target again; the rollout target stays in the proxy, receiving nothing. */
export const stop = (role: Role): Shell => proxyExec("rollout", "stop", role.containerPrefix);

/** The proxy's saved state: the only place kamal-proxy tells rollout targets and the split (`list` shows neither). */
export const readState = (): Shell => cmd("docker", "exec", PROXY_CONTAINER, "cat", PROXY_STATE_FILE);
