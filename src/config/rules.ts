// Checks that span sections, run on the normalised config once every section passed its schema
// (rules-written.ts has the checks of single settings). Messages follow kamal lib/kamal/configuration.rb (the
// `ensure_*` methods); unlike Kamal, every rule runs and all findings are reported together.
import type { IssueSink } from "./issues.ts";
import type { Config, Role } from "./model.ts";
import type { RootInput } from "./schema/root.ts";

export type RuleInput = {
  readonly config: Config;
  /** the validated YAML, for checks about what was (not) written */
  readonly input: RootInput;
};
export type Rule = (rule: RuleInput, sink: IssueSink) => void;

export const requiredKeys: Rule = ({ config }, sink) => {
  if (!config.service) sink.add(["service"], "Missing required configuration for service", "add `service: myapp` at the top");
  if (!config.image)
    sink.add(["image"], "Missing required configuration for image", "add `image: myuser/myapp` (the name in the registry)");
};

export const serversPresent: Rule = ({ config, input }, sink) => {
  if (input.servers === undefined) {
    if (Object.keys(input.accessories ?? {}).length === 0)
      sink.add(["servers"], "No servers or accessories specified", "add `servers:` with the hosts to deploy to");
    return;
  }
  const primary = config.roles.find((role) => role.name === config.primaryRole);
  if (!primary) {
    sink.add(
      input.primary_role === undefined ? ["servers"] : ["primary_role"],
      `The primary_role ${config.primaryRole} isn't defined`,
      config.roles.length === 0
        ? `add a \`${config.primaryRole}\` role under \`servers:\``
        : `add a \`${config.primaryRole}\` role under \`servers:\`, or set \`primary_role:\` to one of: ${config.roles.map((r) => r.name).join(", ")}`,
    );
    return;
  }
  if (primary.hosts.length === 0)
    sink.add(rolePath(config, primary), `No servers specified for the ${primary.name} primary_role`, "list at least one host for it");
  if (config.allowEmptyRoles) return;
  for (const role of config.roles)
    if (role.hosts.length === 0 && role !== primary)
      sink.add(
        rolePath(config, role),
        `No servers specified for the ${role.name} role. You can ignore this with allow_empty_roles: true`,
      );
};





export const sslSingleHost: Rule = ({ config }, sink) => {
  for (const role of config.roles) {
    const proxy = role.proxy;
    const customCertificate = Boolean(proxy?.sslCertificatePem && proxy.sslPrivateKeyPem);
    if (proxy?.ssl && role.hosts.length > 1 && !customCertificate)
      sink.add(
        proxyPath(config, role),
        `SSL is only supported on a single server unless you provide custom certificates, found ${role.hosts.length} servers for role ${role.name}`,
        "terminate TLS on a load balancer and set ssl: false, give your own certificate (`ssl: {certificate_pem, private_key_pem}`), or deploy this role to one host",
      );
  }
};

export const sslHostsUnique: Rule = ({ config }, sink) => {
  const hosts = config.roles.flatMap((role) => (role.proxy?.ssl ? role.proxy.hosts : []));
  const duplicates = [...new Set(hosts.filter((host, i) => hosts.indexOf(host) !== i))];
  if (duplicates.length > 0)
    sink.add(["servers"], `Different roles can't share the same host for SSL: ${duplicates.join(", ")}`, "give each SSL role its own host name");
};

export const localRegistryRemoteBuilder: Rule = ({ config }, sink) => {
  // Kamal checks this only when some arch is built remotely, which depends on the local docker's arch;
  // we check any remote builder, so the answer does not depend on the machine.
  const remote = config.builder.remote;
  if (config.registry.local && remote !== undefined && !remote.startsWith("ssh://"))
    sink.add(
      ["builder", "remote"],
      "Local registry with remote builder requires an SSH URL (e.g., ssh://user@host)",
      "the local registry reaches the builder through an SSH tunnel",
    );
};

export const proxyRunsAgree: Rule = ({ config }, sink) => {
  const written = [
    ...config.roles.map((role) => ({ hosts: role.hosts, run: role.proxy?.run, at: proxyPath(config, role) })),
    ...config.accessories.map((accessory) => ({ hosts: accessory.hosts, run: accessory.proxy?.run, at: ["accessories", accessory.name, "proxy"] })),
  ].filter((part) => part.run !== undefined);
  const hosts = [...new Set(written.flatMap((part) => part.hosts))];
  for (const host of hosts) {
    const [first, ...others] = written.filter((part) => part.hosts.includes(host));
    const differing = others.find((part) => JSON.stringify(part.run) !== JSON.stringify(first?.run));
    if (differing)
      sink.add(
        [...differing.at, "run"],
        `Conflicting proxy run configurations for host ${host}`,
        "one kamal-proxy serves every app on a host: give them all the same `proxy.run`",
      );
  }
};


export const accessoryRoles: Rule = ({ config, input }, sink) => {
  const names = config.roles.map((role) => role.name);
  // With no servers at all (often: they are in a destination file) there is no list to offer.
  const known = names.length > 0 ? `roles are: ${names.join(", ")}` : "no roles are defined: list them under `servers:` (in this file or the destination's)";
  for (const [name, accessory] of Object.entries(input.accessories ?? {})) {
    const missing = (accessory.roles ?? []).map(String).filter((role) => !names.includes(role));
    if (missing.length > 0) sink.add(["accessories", name, "roles"], `unknown roles ${missing.join(", ")}`, known);
    if (accessory.role !== undefined && !names.includes(String(accessory.role)))
      sink.add(["accessories", name, "role"], `unknown role ${String(accessory.role)}`, known);
  }
};



/** In Kamal's order (configuration.rb `initialize`): accessories first, then the `ensure_*` list. */
export const RULES: readonly Rule[] = [
  accessoryRoles,
  requiredKeys,
  serversPresent,
  sslSingleHost,
  sslHostsUnique,
  localRegistryRemoteBuilder,
  proxyRunsAgree,
];

export function checkRules(input: RuleInput, sink: IssueSink): void {
  for (const rule of RULES) rule(input, sink);
}

/** Where a role is written: `servers/NAME`, or `servers` for the list form. */
function rolePath(config: Config, role: Role): string[] {
  return Array.isArray(config.raw.servers) ? ["servers"] : ["servers", role.name];
}

function proxyPath(config: Config, role: Role): string[] {
  const written = (config.raw.servers as Record<string, unknown> | undefined)?.[role.name];
  return typeof written === "object" && written !== null && "proxy" in written ? [...rolePath(config, role), "proxy"] : ["proxy"];
}

