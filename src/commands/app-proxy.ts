// An app role behind kamal-proxy: deploy, remove, maintenance, and the files kamal-proxy reads from the host
// (kamal lib/kamal/commands/app/proxy.rb, app/error_pages.rb).
import type { Config, Proxy, Role } from "../config/model.ts";
import { deployArgs, stopArgs, tlsPath } from "./proxy-args.ts";
import { errorPagesDirectory, PROXY_CONTAINER, proxyAppDirectory, tlsDirectory } from "./names.ts";
import { cmd, type Shell } from "./shell.ts";

/** `docker exec kamal-proxy kamal-proxy ...`, how every kamal-proxy command reaches the proxy. */
export const proxyExec = (...words: string[]): Shell => cmd("docker", "exec", PROXY_CONTAINER, "kamal-proxy", ...words);

export function proxyOf(role: Role): Proxy {
  if (role.proxy === undefined) throw new Error(`role ${role.name} does not run behind kamal-proxy`);
  return role.proxy;
}

/** Routes the service to `target` (a container id); returns once the new target is healthy and traffic moved. */
export const deploy = (config: Config, role: Role, target: string): Shell =>
  proxyExec("deploy", role.containerPrefix, ...deployArgs(config, proxyOf(role), target, role.name));

export const remove = (role: Role): Shell => proxyExec("remove", role.containerPrefix);
export const live = (role: Role): Shell => proxyExec("resume", role.containerPrefix);

/** Requests get 503 (with the message, if any) until `live`. */
export const maintenance = (role: Role, opts: { drainTimeout?: number; message?: string } = {}): Shell =>
  proxyExec("stop", role.containerPrefix, ...stopArgs(opts));

export const removeProxyAppDirectory = (config: Config): Shell => cmd("rm", "-r", proxyAppDirectory(config));

export const createErrorPagesDirectory = (config: Config): Shell => cmd("mkdir", "-p", errorPagesDirectory(config));

/** Removes error pages of every version but the one in force. */
export const cleanUpErrorPages = (config: Config): Shell =>
  cmd("find", errorPagesDirectory(config), "-mindepth", "1", "-maxdepth", "1", "!", "-name", config.version, "-exec", "rm", "-rf", "{} +");

export const createSslDirectory = (config: Config, role: Role): Shell => cmd("mkdir", "-p", `${tlsDirectory(config)}/${role.name}`);

/** Host paths of a role's custom certificate and key (uploaded 0644). */
export const tlsCertificatePaths = (config: Config, role: Role): { cert: string; key: string } => ({
  cert: tlsPath(tlsDirectory(config), role.name, "cert.pem"),
  key: tlsPath(tlsDirectory(config), role.name, "key.pem"),
});
