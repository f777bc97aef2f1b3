// Kamal 1's Traefik setup → `proxy:`. Routing labels, the `traefik:` section and `healthcheck:` of the root go into
// the root `proxy:` (which Kamal 2 applies to every role behind the proxy), a role's own labels and healthcheck into
// that role's `proxy:`, and `traefik: true/false` on a role becomes `proxy: true/false`. Kamal 1 ran Traefik for
// the primary role and for roles with `traefik: true` (lib/kamal/configuration/role.rb, running_traefik?), as
// Kamal 2 does with the proxy.
import { isMap, isSeq, type YAMLMap } from "yaml";
import { isHash } from "../merge.ts";
import { entries, insertAfter, mapOf, pairOf, removePair, replacePair, text, type Edit } from "./document.ts";
import { KAMAL1_APP_PORT, takeHealthcheck } from "./healthcheck.ts";
import { takeTraefikLabels } from "./labels.ts";
import { hasProxySettings, noProxySettings, proxyHash, type ProxySettings } from "./proxy-settings.ts";
import { takeTraefikSection } from "./traefik-section.ts";

export type ProxyOptions = {
  readonly isMain: boolean;
  /** the primary role's name (`primary_role`, default web) */
  readonly primaryRole: string;
  /** how many hosts a role has, from this file or the main one */
  readonly roleHosts: (role: string) => number | undefined;
  /** for a destination file: the migrated main file's `proxy` (root, or a role's), which this file's is merged over */
  readonly mainProxy: (role?: string) => unknown;
};

export function migrateProxy(edit: Edit, root: YAMLMap, options: ProxyOptions): void {
  const settings = noProxySettings();
  takeLabels(edit, root, "labels", settings);
  takeTraefikSection(edit, root.get("traefik", true), settings);
  const healthcheck = takeHealthcheck(edit, root.get("healthcheck", true), "healthcheck", settings);
  const proxyRoles = migrateRoles(edit, root, options);
  if (options.isMain && settings.appPort === undefined && proxyRoles.length > 0) {
    if (healthcheck.customCommand) edit.note("healthcheck", "set proxy/app_port to the port the app listens on (kamal-proxy's default is 80)");
    // Kamal 1's health check curled port 3000 unless told otherwise, so that is where the app listened.
    else settings.appPort = KAMAL1_APP_PORT;
  }
  const tooManyHosts = proxyRoles.find((role) => (options.roleHosts(role) ?? 1) > 1);
  if (settings.ssl && tooManyHosts !== undefined) dropSsl(edit, "proxy", tooManyHosts, settings);

  if (hasProxySettings(settings)) {
    const replaced = ["traefik", "healthcheck"].find((key) => pairOf(root, key));
    const hash = mergeableHash(edit, "proxy", settings, options.mainProxy());
    if (replaced) replacePair(edit.doc, root, replaced, "proxy", hash);
    else insertAfter(edit, root, "proxy", hash, ["servers"]);
  }
  removePair(root, "traefik");
  removePair(root, "healthcheck");
  if (healthcheck.deployTimeout !== undefined) insertAfter(edit, root, "deploy_timeout", healthcheck.deployTimeout, ["proxy"]);
}

/** Migrates each role's Traefik settings; returns the roles that run the proxy. */
function migrateRoles(edit: Edit, root: YAMLMap, options: ProxyOptions): string[] {
  const servers = root.get("servers", true);
  if (isSeq(servers)) return options.primaryRole === "web" ? ["web"] : [];
  const proxyRoles: string[] = [];
  for (const [name, node] of isMap(servers) ? entries(servers) : []) {
    const role = mapOf(node);
    const flag = role ? text(role.get("traefik", true)) : undefined;
    const runsProxy = flag === undefined ? name === options.primaryRole : flag === "true";
    if (runsProxy) proxyRoles.push(name);
    if (role) migrateRole(edit, role, name, flag, runsProxy, options);
  }
  return proxyRoles;
}

function migrateRole(edit: Edit, role: YAMLMap, name: string, flag: string | undefined, runsProxy: boolean, options: ProxyOptions): void {
  const at = `servers/${name}`;
  const settings = noProxySettings();
  const hadLabels = takeLabels(edit, role, `${at}/labels`, settings);
  if (runsProxy) takeHealthcheck(edit, role.get("healthcheck", true), `${at}/healthcheck`, settings);
  else if (pairOf(role, "healthcheck"))
    edit.note(`${at}/healthcheck`, "Kamal 2 health-checks only roles behind the proxy; for this role, give the image a HEALTHCHECK (or `options: { health-cmd: ... }`); removed");
  removePair(role, "healthcheck");
  if (settings.ssl && (options.roleHosts(name) ?? 1) > 1) dropSsl(edit, `${at}/proxy`, name, settings);

  if (!runsProxy && hadLabels && hasProxySettings(settings))
    edit.note(`${at}/labels`, "routed nothing in Kamal 1 (the role did not run Traefik); removed");
  const hash = () => mergeableHash(edit, `${at}/proxy`, settings, options.mainProxy(name));
  const value = flag === "false" ? false : !runsProxy ? undefined : hasProxySettings(settings) ? hash() : flag === "true" ? true : undefined;
  if (value === undefined) return;
  if (pairOf(role, "traefik")) replacePair(edit.doc, role, "traefik", "proxy", value);
  else insertAfter(edit, role, "proxy", value, ["labels", "cmd", "hosts"]);
}

/** Takes the traefik.* labels of `section` (dropping `labels:` when nothing else is left). */
function takeLabels(edit: Edit, section: YAMLMap, path: string, settings: ProxySettings): boolean {
  const labels = mapOf(section.get("labels", true));
  if (!labels) return false;
  const found = takeTraefikLabels(edit, labels, path, settings);
  if (found && labels.items.length === 0) removePair(section, "labels");
  return found;
}

/** The proxy hash for this file, written so that merging it over the main file's proxy stays valid. */
function mergeableHash(edit: Edit, path: string, settings: ProxySettings, mainProxy: unknown): Record<string, unknown> {
  const main = isHash(mainProxy) ? mainProxy : {};
  const hash = proxyHash(settings, "hosts" in main);
  if ("host" in main && "hosts" in hash)
    edit.note(`${path}/hosts`, "the main file's proxy sets `host`, which Kamal 2 will not merge with `hosts`: change it there to `hosts: [...]`");
  return hash;
}

function dropSsl(edit: Edit, path: string, role: string, settings: ProxySettings): void {
  settings.ssl = false;
  edit.note(`${path}/ssl`, `Traefik got a certificate on each host; kamal-proxy's automatic TLS needs a role on one host, and role ${role} has several. Terminate TLS on a load balancer, or set ssl: true after moving the role to one host`);
}
