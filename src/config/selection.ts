// Which hosts and roles a command works on, from -h/-r/-p (kamal lib/kamal/commander.rb,
// commander/specifics.rb; kamal-commands.md §2.1).
import { UsageError } from "../errors.ts";
import { fnmatch } from "./fnmatch.ts";
import type { Config, Role } from "./model.ts";

export type Selection = {
  /** selected hosts, hosts of the primary role first */
  readonly hosts: readonly string[];
  /** selected roles that have a host in the selection, the primary role first */
  readonly roles: readonly Role[];
  /** the host that holds the lock and runs one-off work; "" when no role has a host */
  readonly primaryHost: string;
  readonly primaryRole: Role | undefined;
  /** role hosts in the selection, primary-role hosts first */
  readonly appHosts: readonly string[];
  /** hosts of roles and accessories running kamal-proxy, in the selection */
  readonly proxyHosts: readonly string[];
  readonly accessoryHosts: readonly string[];
  hostsForRole(role: Role): string[];
  rolesOnHost(host: string): Role[];
  /** the role names matched by -r, when given */
  readonly rolesFilter?: readonly string[];
};

export type SelectionFlags = { readonly hosts?: string; readonly roles?: string; readonly primary?: boolean };

/** Every configured host: roles in name order, each role's hosts as written, then accessory hosts. */
export function allHosts(config: Config): string[] {
  return unique([...rolesByName(config).flatMap((role) => role.hosts), ...config.accessories.flatMap((accessory) => accessory.hosts)]);
}

/** Kamal's `config.roles`: by name. Selections start from this order and then move the primary role first. */
const rolesByName = (config: Config): Role[] =>
  [...config.roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Throws UsageError `No --hosts match for ...` / `No --roles match for ...` when a filter matches nothing. */
export function select(config: Config, flags: SelectionFlags = {}): Selection {
  const everyHost = allHosts(config);
  // Hosts first, as Kamal applies them (cli/base.rb), so with two bad filters the --hosts one is reported.
  const hostFilter = patterns(flags.hosts, "--hosts");
  let specificHosts = hostFilter && matchHosts(everyHost, hostFilter);
  const roleFilter = patterns(flags.roles, "--roles");
  const specificRoles = roleFilter && matchRoles(config, roleFilter);
  if (flags.primary) {
    // `-p` narrows to one host: the first host of the first selected role, else the configured primary host.
    const primaryOf = specificRoles?.[0]?.hosts[0] ?? primaryRoleOf(config)?.hosts[0];
    specificHosts = primaryOf === undefined ? specificHosts : matchHosts(everyHost, [primaryOf]);
  }
  return specifics(config, everyHost, specificHosts, specificRoles, roleFilter);
}

function specifics(
  config: Config,
  everyHost: readonly string[],
  specificHosts: string[] | undefined,
  specificRoles: Role[] | undefined,
  roleFilter: string[] | undefined,
): Selection {
  const configuredPrimary = primaryRoleOf(config);
  const hostPool = specificHosts ?? everyHost;
  const byName = rolesByName(config);
  const roles = (specificRoles ?? byName).filter((role) => role.hosts.some((host) => hostPool.includes(host)));
  const roleHosts = specificRoles?.flatMap((role) => role.hosts) ?? [];
  const hosts = roleHosts.length > 0 ? hostPool.filter((host) => roleHosts.includes(host)) : [...hostPool];

  const primaryOrFirst = (candidates: readonly Role[]) =>
    candidates.find((role) => role === configuredPrimary) ?? candidates[0];
  const rolesOn = (host: string) => roles.filter((role) => role.hosts.includes(host));
  const primaryHost =
    specificHosts?.[0] ??
    (specificRoles && specificRoles.length > 0 ? primaryOrFirst(specificRoles)?.hosts[0] : undefined) ??
    configuredPrimary?.hosts[0] ??
    "";
  const primaryRole = primaryOrFirst(rolesOn(primaryHost));

  const sortedRoles = stableSort(roles, (role) => (role === primaryRole ? 0 : 1));
  const primaryFirst = (list: readonly string[]) =>
    stableSort(list, (host) => (rolesOn(host).some((role) => role === primaryRole) ? 0 : 1));
  const appHosts = unique(byName.flatMap((role) => role.hosts));
  const proxyHosts = unique([
    ...byName.filter((role) => role.proxy).flatMap((role) => role.hosts),
    ...config.accessories.filter((accessory) => accessory.proxy).flatMap((accessory) => accessory.hosts),
  ]);
  const accessoryHosts = unique(config.accessories.flatMap((accessory) => accessory.hosts));
  const selectedHosts = primaryFirst(hosts);
  return {
    hosts: selectedHosts,
    roles: sortedRoles,
    primaryHost,
    primaryRole,
    appHosts: primaryFirst(appHosts.filter((host) => hosts.includes(host))),
    proxyHosts: proxyHosts.filter((host) => hosts.includes(host)),
    accessoryHosts: accessoryHosts.filter((host) => hosts.includes(host)),
    hostsForRole: (role) => selectedHosts.filter((host) => role.hosts.includes(host)),
    rolesOnHost: (host) => sortedRoles.filter((role) => role.hosts.includes(host)),
    ...(roleFilter ? { rolesFilter: (specificRoles ?? []).map((role) => role.name) } : {}),
  };
}

const primaryRoleOf = (config: Config): Role | undefined => config.roles.find((role) => role.name === config.primaryRole);

// Host names are at most 253 characters; the limits only keep a pasted blob from costing seconds to match.
const MAX_FILTER_LENGTH = 10_000;
const MAX_PATTERN_LENGTH = 1_000;

/** `-h a,b` → ["a", "b"]; commas inside `{...}` stay, so `-r w{eb,orkers}` works; empty → no filter. */
function patterns(flag: string | undefined, option: string): string[] | undefined {
  if (flag !== undefined && flag.length > MAX_FILTER_LENGTH) throw tooLong(option, `${flag.length} characters`, MAX_FILTER_LENGTH);
  const list = flag?.split(/,(?![^{]*\})/).filter((part) => part !== "");
  const long = list?.find((pattern) => pattern.length > MAX_PATTERN_LENGTH);
  if (long !== undefined) throw tooLong(option, `a pattern of ${long.length} characters`, MAX_PATTERN_LENGTH);
  return list && list.length > 0 ? list : undefined;
}

const tooLong = (option: string, what: string, limit: number) =>
  new UsageError(`${option} is too long: ${what}`, { hint: `give at most ${limit.toLocaleString("en-US")} characters: names or patterns such as web-*, separated by commas` });

function matchHosts(hosts: readonly string[], filters: readonly string[]): string[] {
  const matched = unique(filters.flatMap((filter) => hosts.filter((host) => fnmatch(filter, host))));
  if (matched.length === 0) throw new UsageError(`No --hosts match for ${filters.join(",")}`, { hint: `hosts are: ${hosts.join(", ")}` });
  return matched;
}

function matchRoles(config: Config, filters: readonly string[]): Role[] {
  const matched = unique(filters.flatMap((filter) => rolesByName(config).filter((role) => fnmatch(filter, role.name))));
  if (matched.length === 0)
    throw new UsageError(`No --roles match for ${filters.join(",")}`, { hint: `roles are: ${config.roles.map((r) => r.name).join(", ")}` });
  return matched;
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

function stableSort<T>(items: readonly T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, key: key(item) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ item }) => item);
}
