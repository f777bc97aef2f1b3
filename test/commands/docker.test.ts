import { describe, expect, it } from "vitest";
import * as docker from "../../src/commands/docker.ts";
import { wire } from "../../src/commands/shell.ts";

describe("docker commands", () => {
  const cases: [string, string, string][] = [
    ["docker install", wire(docker.install()), "/usr/bin/env sh -c 'curl -fsSL https://get.docker.com || wget -O - https://get.docker.com || echo \"exit 1\"' | sh"],
    ["docker installed?", wire(docker.isInstalled()), "docker -v"],
    ["docker running?", wire(docker.isRunning()), "docker version"],
    ["superuser?", wire(docker.isSuperuser()), '[ "${EUID:-$(id -u)}" -eq 0 ] || sudo -nl usermod >/dev/null'],
    ["root?", wire(docker.isRoot()), '[ "${EUID:-$(id -u)}" -eq 0 ]'],
    ["in docker group?", wire(docker.isInDockerGroup()), 'id -nG "${USER:-$(id -un)}" | grep -qw docker'],
    ["add to docker group", wire(docker.addToDockerGroup()), 'sudo -n usermod -aG docker "${USER:-$(id -un)}"'],
    ["refresh session", wire(docker.refreshSession()), "kill -HUP $PPID"],
    ["create network", wire(docker.createNetwork()), "docker network create kamal"],
  ];
  for (const [what, built, expected] of cases) it(`builds ${what}`, () => expect(built).toBe(expected));
});
