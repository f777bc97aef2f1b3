import { describe, expect, it } from "vitest";
import * as registry from "../../src/commands/registry.ts";
import { render, type Shell } from "../../src/commands/shell.ts";
import { accessoryOf, load } from "./fixtures.ts";

const yaml = (registryYaml: string) => `service: app
image: dhh/app
registry:
${registryYaml}servers:
- 1.1.1.1
builder:
  arch: amd64
accessories:
  db:
    image: mysql:8.0
    host: 1.1.1.2
    registry:
      server: other.hub.docker.com
      username: user
      password:
      - DB_REGISTRY_PASSWORD
`;
const hub = load(yaml('  server: hub.docker.com\n  username: dhh\n  password:\n  - KAMAL_REGISTRY_PASSWORD\n'),
  { secrets: { KAMAL_REGISTRY_PASSWORD: "more-secret'\"", DB_REGISTRY_PASSWORD: "pw" } });
const local = load(yaml("  server: localhost:5000\n"), { secrets: { DB_REGISTRY_PASSWORD: "pw" } });
const shown = (shell: Shell | undefined): [string, string] => {
  if (shell === undefined) throw new Error("no command");
  return [render(shell), render(shell, true)];
};

describe("registry", () => {
  it("logs in as Kamal does, escaped, redacted in logs", () => {
    expect(shown(registry.login(hub.registry))).toEqual([
      "docker login hub.docker.com -u [REDACTED] -p [REDACTED]",
      "docker login hub.docker.com -u \"dhh\" -p \"more-secret'\\\"\""]);
  });
  it("logs in to an accessory's registry", () => {
    const db = accessoryOf(hub, "db").registry;
    if (db === undefined) throw new Error("no registry");
    expect(shown(registry.login(db))[1]).toBe('docker login other.hub.docker.com -u "user" -p "pw"');
    expect(render(registry.logout(db))).toBe("docker logout other.hub.docker.com");
  });
  it("sends the password on stdin in sextant's login", () => {
    expect(shown(registry.loginWithStdin(hub.registry))).toEqual([
      "docker login hub.docker.com -u [REDACTED] --password-stdin",
      'docker login hub.docker.com -u "dhh" --password-stdin']);
    // docker login drops the final newline; with it, the password travels as a here-document in the host's shell
    expect(registry.loginPassword(hub.registry).reveal()).toBe("more-secret'\"\n");
  });
  it("never logs in to a local registry", () => {
    expect(registry.login(local.registry)).toBeUndefined();
    expect(registry.loginWithStdin(local.registry)).toBeUndefined();
  });
  it("starts and removes the local registry", () => {
    expect(render(registry.setup(local.registry))).toBe(
      "docker start kamal-docker-registry || docker run --detach -p 127.0.0.1:5000:5000 --name kamal-docker-registry registry:3");
    expect(render(registry.remove())).toBe("docker stop kamal-docker-registry && docker rm kamal-docker-registry");
  });
  it("logs out of Docker Hub without a server", () => {
    expect(render(registry.logout(load(yaml("  username: dhh\n  password: secret\n"), { secrets: { DB_REGISTRY_PASSWORD: "pw" } }).registry)))
      .toBe("docker logout");
  });
});
