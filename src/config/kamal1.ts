// Kamal 1 keys that Kamal 2 dropped. Kamal 2 only says "unknown key"; we say what replaced each one.
// (Kamal's upgrade guide: https://kamal-deploy.org/docs/upgrading/overview/)
import type { IssueSink, KeyPath } from "./issues.ts";
import { RubyScalar } from "../ruby-scalar.ts";

type Replaced = {
  readonly key: string;
  readonly instead: string;
  /** the Kamal 2 key that takes the same value unchanged, where there is one (`sextant config migrate` renames it) */
  readonly renamedTo?: string;
};

const ROOT_KEYS: readonly Replaced[] = [
  { key: "traefik", instead: "`proxy:` (kamal-proxy replaced Traefik; see `sextant docs proxy`)" },
  { key: "healthcheck", instead: "`proxy: { healthcheck: { path, interval, timeout } }` and `proxy: { app_port: PORT }`" },
  { key: "primary_web_role", instead: "`primary_role:`", renamedTo: "primary_role" },
  { key: "stop_wait_time", instead: "`drain_timeout:` (or `stop_timeout:`)", renamedTo: "drain_timeout" },
];

/** Root keys whose value carries over to Kamal 2 under a new name. */
export const RENAMED_ROOT_KEYS = ROOT_KEYS.filter((found) => found.renamedTo !== undefined);

const ROLE_KEYS: readonly Replaced[] = [{ key: "traefik", instead: "`proxy: true` (or a `proxy:` hash)" }];

const BUILDER_KEYS: readonly Replaced[] = [
  { key: "multiarch", instead: "`arch:` (e.g. `arch: amd64`, or a list of arches)" },
];

const isHash = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RubyScalar);

/**
 * Reports Kamal 1 keys and returns the ones reported, as `parent/key` paths, so the unknown-key check skips them.
 */
export function checkKamal1(raw: Record<string, unknown>, sink: IssueSink): Set<string> {
  const reported = new Set<string>();
  const report = (parent: KeyPath, found: Replaced) => {
    sink.add(parent, `\`${found.key}\` is Kamal 1 configuration, which Kamal 2 no longer reads`, `use ${found.instead}`, [...parent, found.key]);
    reported.add([...parent, found.key].join("/"));
  };
  const scan = (section: unknown, parent: KeyPath, keys: readonly Replaced[]) => {
    if (isHash(section)) for (const found of keys) if (found.key in section) report(parent, found);
  };
  scan(raw, [], ROOT_KEYS);
  scan(raw.builder, ["builder"], BUILDER_KEYS);
  const builder = raw.builder;
  if (isHash(builder) && isHash(builder.remote))
    report(["builder"], { key: "remote", instead: "`remote: ssh://user@host` (a URL, with `arch:` at the builder level)" });
  if (isHash(builder) && isHash(builder.local))
    report(["builder"], { key: "local", instead: "`local: true`/`false`, with `arch:` at the builder level" });
  if (isHash(raw.servers)) for (const [name, role] of Object.entries(raw.servers)) scan(role, ["servers", name], ROLE_KEYS);
  return reported;
}

/** Traefik labels still pass Kamal 2's schema but do nothing now: a warning, not an error. */
export function traefikLabelWarnings(raw: Record<string, unknown>, file: string): string[] {
  const sections: [string, unknown][] = [["labels", raw.labels]];
  if (isHash(raw.servers))
    for (const [name, role] of Object.entries(raw.servers)) if (isHash(role)) sections.push([`servers/${name}/labels`, role.labels]);
  return sections.flatMap(([path, labels]) =>
    isHash(labels) && Object.keys(labels).some((key) => key.startsWith("traefik."))
      ? [`${file}: ${path}: traefik.* labels are Kamal 1 configuration and do nothing with kamal-proxy; use \`proxy: { host, path_prefix, ... }\` instead`]
      : [],
  );
}
