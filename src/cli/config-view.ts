import { argumentize } from "../commands/args.ts";
import { absoluteImage } from "../commands/names.ts";
import { loggingArgs } from "../commands/run-args.ts";
import type { Config } from "../config/model.ts";
import { isHash } from "../config/merge.ts";
import { ownValue } from "../config/own-value.ts";
import { rubyKeysOf } from "../config/ruby-keys.ts";
import { RubyScalar, RubySymbolValue } from "../ruby-scalar.ts";
import { allHosts } from "../config/selection.ts";
import { RubyObject, RubySymbol } from "../output/yaml-text.ts";

const REDACTED = "[REDACTED]";

const section = (raw: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> | undefined => {
  const value = ownValue(raw, key);
  return isHash(value) ? value : undefined;
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
    log_level: raw.log_level ?? new RubySymbolValue("fatal"),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * The hash `kamal config` hands to Ruby's to_yaml, as Ruby holds it: symbol keys at the top and in ssh_options, the
 * default log level the symbol :fatal, and ssh.proxy / proxy_command the Net::SSH::Proxy::Jump / Command objects
 * Kamal builds (net-ssh 7: a Jump sets only @jump_proxies; a Command sets its template, a nil command line and a
 * 60-second timeout). Mappings read from deploy.yml keep the keys Ruby read, in their written order (ruby-keys.ts).
 */
export function rubyConfigView(config: Config, view: Record<string, unknown> = configView(config)): Map<RubySymbol, unknown> {
  const ssh = view.ssh_options as Record<string, unknown>;
  const proxy = netSshProxy(config, ssh.proxy);
  const sshOptions = symbolKeys({ ...ssh, ...(proxy === undefined ? {} : { proxy }) });
  return symbolKeys({ ...view, ssh_options: sshOptions });
}

function netSshProxy(config: Config, proxy: unknown): RubyObject | undefined {
  if (proxy === undefined) return undefined;
  if (config.ssh.proxy !== undefined) return new RubyObject("Net::SSH::Proxy::Jump", [["jump_proxies", proxy]]);
  return new RubyObject("Net::SSH::Proxy::Command", [["command_line_template", proxy], ["command_line", null], ["timeout", 60]]);
}

const symbolKeys = (hash: Record<string, unknown>): Map<RubySymbol, unknown> =>
  new Map(Object.entries(hash).map(([key, value]) => [new RubySymbol(key), value instanceof Map || value instanceof RubyObject ? value : asRead(value)]));

/** A value read from deploy.yml as Ruby holds it: mappings become Hashes with their Ruby keys. */
function asRead(value: unknown): unknown {
  // The loader's Floats, big Integers and Symbols print as Ruby's own (output/yaml-text.ts); --json uses their toJSON.
  if (value instanceof RubyScalar) return value;
  if (Array.isArray(value)) return value.map(asRead);
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const hash = value as Record<string, unknown>;
    return new Map(rubyKeysOf(hash).map(([key, rubyKey]) => [asRead(rubyKey), asRead(hash[key])]));
  }
  return value;
}
