// What a failed command's output says about docker on the machine it ran on, rather than about the command: docker
// missing, its daemon down, or the SSH user kept from its socket. Whatever the command was, the fix is the same,
// and docker's own words ("Is the docker daemon running?") do not say how to apply it on a server.
import { LOCAL } from "../local-host.ts";

type Cause = { readonly pattern: RegExp; readonly onHost: string; readonly here: string };

const CAUSES: readonly Cause[] = [
  {
    pattern: /Cannot connect to the Docker daemon/,
    onHost: "docker is not running on that host: start it there (`sudo systemctl start docker`), then run the command again",
    here: "docker is not running on this machine: start Docker (Docker Desktop, or `sudo systemctl start docker`), then run the command again",
  },
  {
    pattern: /permission denied while trying to connect to the Docker daemon socket/i,
    onHost: "the SSH user may not use docker on that host: add it to the docker group there (`sudo usermod -aG docker USER`), or deploy as root (ssh/user in config/deploy.yml)",
    here: "your user may not use docker on this machine: add it to the docker group (`sudo usermod -aG docker $USER`, then log in again)",
  },
  {
    pattern: /(?:^|\n)[^\n]*\bdocker: (?:command )?not found/,
    onHost: "docker is not installed on that host: `sextant server bootstrap` installs it (as root, or a user who may sudo)",
    here: "docker is not installed on this machine: install Docker, then run the command again",
  },
];

/** The fix for a failure docker's state on `host` explains; undefined for any other failure. */
export function dockerOnHostHint(host: string, output: string): string | undefined {
  const cause = CAUSES.find((c) => c.pattern.test(output));
  if (!cause) return undefined;
  return host === LOCAL ? cause.here : cause.onHost;
}
