// Registry login/logout on hosts and the local registry on this machine (kamal lib/kamal/commands/registry.rb).
import type { Registry } from "../config/model.ts";
import { Secret } from "../config/secret.ts";
import { and, cmd, or, type Shell } from "./shell.ts";

/** Kamal treats the username as sensitive too, so a literal one is wrapped and redacted like a secret. */
const sensitive = (value: string | Secret | undefined): Secret => (value instanceof Secret ? value : new Secret(value ?? ""));

/** `docker login [server] -u "user" -p "password"` as Kamal sends it; undefined for a local registry (no login). */
export function login(registry: Registry): Shell | undefined {
  if (registry.local) return undefined;
  return cmd("docker", "login", registry.server, "-u", sensitive(registry.username), "-p", sensitive(registry.password));
}

/**
 * sextant's login: the password goes on stdin (see `loginPassword`), so it never shows in the host's process list.
 * Undefined for a local registry.
 */
export function loginWithStdin(registry: Registry): Shell | undefined {
  if (registry.local) return undefined;
  return cmd("docker", "login", registry.server, "-u", sensitive(registry.username), "--password-stdin");
}

/**
 * What to feed `loginWithStdin` on stdin: the password and a newline, which `docker login --password-stdin` drops
 * (docker cli/command/registry/login.go) and which lets the executor send it as a here-document in the host's shell.
 */
export const loginPassword = (registry: Registry): Secret => sensitive(registry.password).followedBy("\n");

export const logout = (registry: Registry): Shell => cmd("docker", "logout", registry.server);

/** On this machine: start the local registry container, or create it (`registry:3` on 127.0.0.1:PORT). */
export const setup = (registry: Registry): Shell =>
  or(cmd("docker", "start", "kamal-docker-registry"),
    cmd("docker", "run", "--detach", "-p", `127.0.0.1:${registry.localPort ?? 80}:5000`, "--name", "kamal-docker-registry", "registry:3"));

export const remove = (): Shell => and(cmd("docker", "stop", "kamal-docker-registry"), cmd("docker", "rm", "kamal-docker-registry"));
