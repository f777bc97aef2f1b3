// The root `traefik:` section configured the Traefik container itself (lib/kamal/configuration/traefik.rb at
// v1.9.3). Its published port and `publish: false` carry over to `proxy.run`; the image, its arguments, labels,
// options and env were Traefik's own and have no kamal-proxy equivalent, so each is noted.
import { isMap, type YAMLMap } from "yaml";
import { entries, text, type Edit } from "./document.ts";
import { port } from "./labels.ts";
import type { ProxySettings } from "./proxy-settings.ts";

export function takeTraefikSection(edit: Edit, section: unknown, settings: ProxySettings): void {
  if (!isMap(section)) return;
  for (const [key, node] of entries(section as YAMLMap)) {
    const value = text(node);
    if (key === "host_port" && value !== undefined) settings.run.http_port = port(value);
    else if (key === "publish" && value === "false") settings.run.publish = false;
    else if (key === "publish") continue;
    else if ((key === "args" || key === "labels") && isMap(node))
      for (const [name, argument] of entries(node)) edit.note(`traefik/${key}/${name}`, `(${describe(argument)}) configured Traefik; kamal-proxy has no equivalent; removed`);
    else edit.note(`traefik/${key}`, `${key === "image" ? "the Traefik image" : `Traefik's ${key}`} ${describe(node)} has no kamal-proxy equivalent; removed`);
  }
}

function describe(node: unknown): string {
  const value = text(node);
  if (value !== undefined) return value;
  return isMap(node) ? `{ ${entries(node).map(([key, inner]) => `${key}: ${describe(inner)}`).join(", ")} }` : JSON.stringify((node as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null);
}
