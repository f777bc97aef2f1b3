// Reads the roles under `servers:` into the model (kamal lib/kamal/configuration/role.rb, servers.rb).
import { envSpec, mergeEnv } from "./env.ts";
import { deepMerge } from "./merge.ts";
import type { EnvSpec, Logging, Role } from "./model.ts";
import { toProxy } from "./normalise-proxy.ts";
import { str, stringMap } from "./normalise-values.ts";
import { RubyScalar } from "../ruby-scalar.ts";
import type { ProxyInput } from "./schema/proxy.ts";
import type { RootInput } from "./schema/root.ts";
import type { RoleInput, ServerEntry } from "./schema/servers.ts";

export type LoggingInput = { driver?: unknown; options?: Record<string, unknown> };

/** What every role inherits from the root. */
export type RoleContext = {
  service: string;
  destination: string | undefined;
  primaryRole: string;
  labels: Record<string, string>;
  env: EnvSpec;
  logging: LoggingInput;
  proxy: ProxyInput | undefined;
  stopTimeout: number | undefined;
  assetPath: string | undefined;
};

/** Roles in Kamal's execution order: the primary role first, then the others by name. */
export function toRoles(servers: RootInput["servers"], context: RoleContext): Role[] {
  if (servers === undefined) return [];
  const written: [string, readonly ServerEntry[], RoleInput][] = Array.isArray(servers)
    ? [["web", servers, {}]]
    : Object.keys(servers)
        .sort()
        .map((name) => {
          const role = servers[name];
          return Array.isArray(role) ? [name, role, {}] : [name, (role as RoleInput).hosts ?? [], role as RoleInput];
        });
  const roles = written.map(([name, entries, settings]) => toRole(name, entries, settings, context));
  return [...roles.filter((role) => role.primary), ...roles.filter((role) => !role.primary)];
}

function toRole(name: string, entries: readonly ServerEntry[], settings: RoleInput, context: RoleContext): Role {
  const tags: Record<string, string[]> = {};
  for (const entry of entries) {
    if (typeof entry === "object" && !(entry instanceof RubyScalar)) {
      const [host, hostTags] = Object.entries(entry)[0] ?? ["", []];
      tags[host] = (Array.isArray(hostTags) ? hostTags : [hostTags]).map(String);
    } else tags[String(entry)] = [];
  }
  const primary = name === context.primaryRole;
  const written = settings.proxy;
  // Kamal role.rb: the primary role runs the proxy unless `proxy: false`; other roles only with `true` or a hash.
  const runsProxy = primary ? written !== false : written !== undefined && written !== false;
  const roleProxy = typeof written === "object" ? written : {};
  return {
    name,
    hosts: Object.keys(tags),
    tags,
    cmd: str(settings.cmd),
    options: settings.options ?? {},
    labels: { ...context.labels, ...stringMap(settings.labels) },
    env: mergeEnv(context.env, envSpec(settings.env)),
    logging: toLogging(deepMerge(context.logging, (settings.logging ?? {}) as LoggingInput) as LoggingInput),
    proxy: runsProxy ? toProxy(deepMerge(context.proxy ?? {}, roleProxy) as ProxyInput) : undefined,
    stopTimeout: settings.stop_timeout ?? context.stopTimeout,
    assetPath: str(settings.asset_path) ?? context.assetPath,
    primary,
    containerPrefix: [context.service, name, context.destination].filter((part) => part !== undefined).join("-"),
  };
}

export function toLogging(raw: LoggingInput): Logging {
  return { driver: str(raw.driver), options: (raw.options ?? {}) as Logging["options"] };
}

