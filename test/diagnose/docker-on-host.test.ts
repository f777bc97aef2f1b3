import { describe, expect, test } from "vitest";
import { dockerOnHostHint } from "../../src/diagnose/docker-on-host.ts";
import { RemoteCommandError } from "../../src/errors.ts";

describe("docker's state on the machine a command failed on", () => {
  test("its daemon down: start it there", () => {
    const stderr = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
    expect(dockerOnHostHint("10.0.0.1", stderr)).toBe(
      "docker is not running on that host: start it there (`sudo systemctl start docker`), then run the command again",
    );
    expect(dockerOnHostHint("local", stderr)).toBe(
      "docker is not running on this machine: start Docker (Docker Desktop, or `sudo systemctl start docker`), then run the command again",
    );
  });

  test("the user kept from its socket: the docker group, or root", () => {
    const stderr = 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied';
    expect(dockerOnHostHint("10.0.0.1", stderr)).toBe(
      "the SSH user may not use docker on that host: add it to the docker group there (`sudo usermod -aG docker USER`), or deploy as root (ssh/user in config/deploy.yml)",
    );
  });

  test("not installed, as dash and bash say it: server bootstrap", () => {
    const bootstrap = "docker is not installed on that host: `sextant server bootstrap` installs it (as root, or a user who may sudo)";
    expect(dockerOnHostHint("10.0.0.1", "sh: 1: docker: not found\n")).toBe(bootstrap);
    expect(dockerOnHostHint("10.0.0.1", "bash: line 1: docker: command not found\n")).toBe(bootstrap);
    expect(dockerOnHostHint("local", "/bin/sh: 1: docker: not found\n")).toBe("docker is not installed on this machine: install Docker, then run the command again");
  });

  test("any other failure has no such hint, and a hint given by the caller wins", () => {
    expect(dockerOnHostHint("10.0.0.1", "Error response from daemon: No such container: app-web-1")).toBeUndefined();
    expect(new RemoteCommandError("10.0.0.1", "docker ps", { code: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." }).hint)
      .toBe("docker is not running on that host: start it there (`sudo systemctl start docker`), then run the command again");
    expect(new RemoteCommandError("10.0.0.1", "docker ps", { code: 1, stderr: "Cannot connect to the Docker daemon" }, { hint: "mine" }).hint).toBe("mine");
  });
});
