import { argumentize } from "../commands/args.ts";
import { absoluteImage } from "../commands/names.ts";
import { loggingArgs } from "../commands/run-args.ts";
import type { Config } from "../config/model.ts";
import { ownValue } from "../config/own-value.ts";
import { allHosts } from "../config/selection.ts";

const REDACTED = "[REDACTED]";

const section = (raw: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> | undefined => {
  const value = ownValue(raw, key);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};

/**
 * What `kamal config` prints (Kamal::Configuration#to_h in kamal lib/kamal/configuration.rb), same keys and order:
 * roles alphabetical, every host (role hosts in role-name order, then accessory hosts), sections that Kamal
 * prints raw (sshkit, builder, accessories) as written. key_data is redacted whether it names a secret or not.
 */
export function configView(config: Config): Record<string, unknown> {
  const rawServers = config.raw.servers;
  const roleNames = Array.isArray(rawServers) ? ["web"] : config.roles.map((r) => r.name).sort();
  const primary = config.roles.find((r) => r.name === config.primaryRole);
  const accessories = section(config.raw, "accessories");
  return {
    roles: roleNames,
    hosts: allHosts(config),
    primary_host: primary?.hosts[0],
    version: config.version,
    repository: config.repository,
    absolute_image: absoluteImage(config),
    service_with_version: `${config.service}-${config.version}`,
    volume_args: argumentize("--volume", config.volumes),
    ssh_options: sshOptions(config),
    sshkit: section(config.raw, "sshkit") ?? {},
    builder: section(config.raw, "builder") ?? {},
    ...(accessories === undefined ? {} : { accessories }),
    logging: loggingArgs(config.logging),
  };
}

/** Kamal::Configuration::Ssh#to_h: net-ssh options in net-ssh's order, unset ones left out, log level last. */
function sshOptions(config: Config): Record<string, unknown> {
  const raw = section(config.raw, "ssh") ?? {};
  const proxy = config.ssh.proxy === undefined ? undefined : config.ssh.proxy.includes("@") ? config.ssh.proxy : `root@${config.ssh.proxy}`;
  const options: Record<string, unknown> = {
    user: config.ssh.user,
    port: config.ssh.port,
    proxy: proxy ?? config.ssh.proxyCommand,
    keepalive: true,
    keepalive_interval: 30,
    keys_only: raw.keys_only,
    keys: raw.keys,
    key_data: Array.isArray(raw.key_data) ? raw.key_data.map(() => REDACTED) : undefined,
    config: raw.config,
    forward_agent: raw.forward_agent,
    // Kamal's default is the Ruby symbol :fatal, which its YAML dump prints with the colon.
    log_level: raw.log_level ?? ":fatal",
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== null));
}

/** Kamal dumps the hash with Ruby symbol keys (`:roles:`); the nested ssh options are symbols too. */
export function withSymbolKeys(view: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(view).map(([k, v]) => [`:${k}`, k === "ssh_options" ? withSymbolKeys(v as Record<string, unknown>) : v]),
  );
}
