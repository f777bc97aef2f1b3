// Reads `accessories:` into the model (kamal lib/kamal/configuration/accessory.rb).
import { envSpec } from "./env.ts";
import type { Accessory, AccessoryFile, Role, SecretStore } from "./model.ts";
import { toProxy } from "./normalise-proxy.ts";
import { toRegistry } from "./normalise-registry.ts";
import { RubyScalar } from "../ruby-scalar.ts";
import { str } from "./normalise-values.ts";
import type { AccessoryInput } from "./schema/accessory.ts";


export function toAccessory(name: string, raw: AccessoryInput, service: string, roles: readonly Role[], secrets: SecretStore): Accessory {
  const registry = raw.registry && Object.keys(raw.registry).length > 0 ? toRegistry(raw.registry, secrets) : undefined;
  const port = str(raw.port);
  const proxy = raw.proxy;
  return {
    name,
    service: str(raw.service) ?? `${service}-${name}`,
    // Kamal prefixes the image with the accessory's own registry only, never the root one.
    image: [registry?.server, str(raw.image)].filter((part) => part !== undefined).join("/"),
    hosts: accessoryHosts(raw, roles),
    cmd: str(raw.cmd),
    // `3306` publishes 3306:3306; anything with a colon is used as written.
    port: port === undefined ? undefined : port.includes(":") ? port : `${port}:${port}`,
    labels: Object.fromEntries(Object.entries(raw.labels ?? {}).map(([key, value]) => [key, String(value)])),
    options: raw.options ?? {},
    env: envSpec(raw.env),
    files: (raw.files ?? []).map((entry) => pathEntry(entry, "755")),
    directories: (raw.directories ?? []).map((entry) => pathEntry(entry, undefined)),
    volumes: (raw.volumes ?? []).map(String),
    network: str(raw.network) ?? "kamal",
    registry,
    proxy: proxy && Object.keys(proxy).length > 0 ? toProxy(proxy) : undefined,
  };
}

/** Hosts from `host`, `hosts`, `role(s)` or `tag(s)`, de-duplicated in order. */
function accessoryHosts(raw: AccessoryInput, roles: readonly Role[]): string[] {
  const roleHosts = (name: string) => roles.find((role) => role.name === name)?.hosts ?? [];
  // Kamal looks tags up only in roles written as plain host lists; we look in every role.
  const taggedHosts = (tag: string) => roles.flatMap((role) => role.hosts.filter((host) => role.tags[host]?.includes(tag)));
  const hosts =
    raw.host !== undefined ? [String(raw.host)]
    : raw.hosts !== undefined ? raw.hosts.map(String)
    : raw.role !== undefined ? roleHosts(String(raw.role))
    : raw.roles !== undefined ? raw.roles.flatMap((role) => roleHosts(String(role)))
    : raw.tag !== undefined ? taggedHosts(String(raw.tag))
    : (raw.tags ?? []).flatMap((tag) => taggedHosts(String(tag)));
  return [...new Set(hosts)];
}

type PathInput = NonNullable<AccessoryInput["files"]>[number];

/** `local:remote[:options]` or `{local, remote, mode, owner, options}`. */
function pathEntry(entry: PathInput, defaultMode: string | undefined): AccessoryFile {
  if (typeof entry === "object" && !(entry instanceof RubyScalar)) {
    return {
      local: str(entry.local) ?? "",
      remote: str(entry.remote) ?? "",
      mode: str(entry.mode) ?? defaultMode,
      owner: str(entry.owner),
      options: str(entry.options),
    };
  }
  const [local = "", remote = "", ...options] = String(entry).split(":");
  return { local, remote, mode: defaultMode, owner: undefined, options: options.length > 0 ? options.join(":") : undefined };
}
