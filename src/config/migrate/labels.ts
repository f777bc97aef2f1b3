// Traefik labels → kamal-proxy settings. Kamal 1 routed through Traefik, configured by container labels such as
// `traefik.http.routers.app-web.rule: Host(`app.example.com`)`; kamal-proxy reads `proxy:` instead and ignores
// those labels. Each traefik.* label is taken out of the labels hash: what it meant goes into the proxy settings,
// and what kamal-proxy cannot do is noted.
import { isScalar, type YAMLMap } from "yaml";
import { entries, type Edit } from "./document.ts";
import type { ProxySettings } from "./proxy-settings.ts";
import { parseTraefikRule } from "./traefik-rule.ts";

const ROUTER = /^traefik\.http\.routers\.([^.]+)\.(.+)$/;
const SERVICE_PORT = /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/;
const STRIP_PREFIX = /^traefik\.http\.middlewares\.[^.]+\.stripprefix\.prefixes$/;
/** Labels that only wired a container into Traefik: kamal-proxy routes to every container it deploys. */
const WIRING = [/^traefik\.enable$/, /^traefik\.http\.routers\.[^.]+\.(entrypoints|service|priority)$/i, /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.scheme$/];

/** Takes the traefik.* labels out of `labels` (at `path`) into `settings`; returns whether any were found. */
export function takeTraefikLabels(edit: Edit, labels: YAMLMap, path: string, settings: ProxySettings): boolean {
  const traefik = entries(labels).filter(([key]) => key.startsWith("traefik."));
  const value = (node: unknown) => (isScalar(node) ? String(node.value) : "");
  const stripsPrefix = traefik.some(([key]) => STRIP_PREFIX.test(key));
  for (const [key, node] of traefik) {
    labels.delete(key);
    const router = ROUTER.exec(key);
    const setting = router?.[2]?.toLowerCase();
    if (setting === "rule") {
      const route = parseTraefikRule(value(node));
      if (!route) {
        edit.note(`${path}/${key}`, `the rule ${value(node)} has no kamal-proxy equivalent (it routes by host and path prefix only); removed`);
        continue;
      }
      settings.hosts.push(...route.hosts);
      settings.pathPrefixes.push(...route.pathPrefixes);
      // Traefik passed the prefix on to the app unless a stripprefix middleware took it off.
      if (route.pathPrefixes.length > 0 && !stripsPrefix) settings.stripPathPrefix = false;
    } else if (setting === "tls.certresolver") {
      settings.ssl = true;
    } else if (setting === "tls" && traefik.some(([other]) => other === `traefik.http.routers.${router?.[1]}.tls.certresolver`)) {
      continue;
    } else if (SERVICE_PORT.test(key)) {
      settings.appPort = port(value(node));
    } else if (STRIP_PREFIX.test(key)) {
      continue;
    } else if (WIRING.some((pattern) => pattern.test(key))) {
      edit.note(`${path}/${key}`, "only wired the container into Traefik; kamal-proxy needs no equivalent; removed");
    } else {
      edit.note(`${path}/${key}`, `(${value(node)}) has no kamal-proxy equivalent; removed`);
    }
  }
  return traefik.length > 0;
}

/** Label values are strings (`"3000"`); app_port is a number, unless an ERB tag writes it. */
export const port = (written: string): number | string => (/^\d+$/.test(written) ? Number(written) : written);
