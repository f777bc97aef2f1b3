// Read-only commands sextant adds after a new container failed to become healthy, to say why (issue 13). Kamal
// sends nothing like them; the deploy's own commands stay Kamal's, these run only once a boot has failed.
import { PROXY_CONTAINER } from "./names.ts";
import { cmd, pipe, type Shell } from "./shell.ts";

/** A container id as docker prints it: the only value these builders put on a command line unquoted. */
const containerId = (id: string): string => {
  if (!/^[0-9a-f]{12,64}$/.test(id)) throw new Error(`not a container id: ${JSON.stringify(id)}`);
  return id;
};

/**
 * The health checks kamal-proxy logged as failed for `target` (`ID:PORT`) in the last `seconds`, newest last.
 * kamal-proxy logs each one as slog JSON (internal/server/health_check.go) with the checked URL, which starts with
 * `http://ID:`, so the second grep keeps this container's checks among every app's log lines.
 */
export const failedHealthChecks = (id: string, seconds: number): Shell =>
  pipe(
    cmd("docker", "logs", PROXY_CONTAINER, "--since", `${Math.ceil(seconds)}s`, "2>&1"),
    cmd("grep", "-F", `'"msg":"Healthcheck failed"'`),
    cmd("grep", "-F", `//${containerId(id)}:`),
    cmd("tail", "-n", "20"));

/**
 * The container's state, restart count and memory limit as one JSON object. A format, not the whole inspect
 * document: that one holds the container's environment, secrets included.
 */
export const containerState = (id: string): Shell =>
  cmd("docker", "inspect", "--format", `'{"state":{{json .State}},"restarts":{{.RestartCount}},"memory":{{.HostConfig.Memory}}}'`, containerId(id));
