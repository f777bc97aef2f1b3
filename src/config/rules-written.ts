// Checks of single settings as written (kamal lib/kamal/configuration.rb `ensure_*`, alias.rb, output.rb). They
// need no other section, so they run even when another part of the file failed its schema: the user sees these
// problems in the same round.
import { KAMAL_VERSION } from "../kamal-version.ts";
import type { IssueSink } from "./issues.ts";
import { isHash } from "./merge.ts";
import { hookLevel } from "./normalise-values.ts";
import { shellSafeAccessories, shellSafeBuilder, shellSafeRoot, shellSafeServers } from "./rules-shell-safe.ts";
import type { WrittenInput, WrittenRule } from "./written-rule.ts";

/** Kamal's top-level commands (Kamal::Cli::Main.commands): an alias may not shadow one. */
export const BUILT_IN_COMMANDS = [
  "setup", "deploy", "redeploy", "rollback", "details", "audit", "config", "docs", "init", "remove", "upgrade",
  "version", "app", "accessory", "build", "lock", "proxy", "prune", "registry", "secrets", "server", "help",
];

export const destinationRequired: WrittenRule = ({ input, destination }, sink) => {
  if (input.require_destination === true && destination === undefined)
    sink.add(["require_destination"], "You must specify a destination", "run with `-d DESTINATION`");
};
export const minimumVersion: WrittenRule = ({ input }, sink) => {
  const wanted = input.minimum_version === undefined ? undefined : String(input.minimum_version);
  if (wanted !== undefined && compareVersions(wanted, KAMAL_VERSION) > 0)
    sink.add(
      ["minimum_version"],
      `Current version is ${KAMAL_VERSION}, minimum required is ${wanted}`,
      "this file needs a newer Kamal than sextant follows; lower minimum_version if it works anyway",
    );
};
export const retainContainers: WrittenRule = ({ input }, sink) => {
  if (input.retain_containers !== undefined && input.retain_containers < 1) sink.add(["retain_containers"], "Must retain at least 1 container", "set it to 1 or more");
};
export const serviceName: WrittenRule = ({ input }, sink) => {
  if (input.service !== undefined && input.service !== "" && !/^[a-z0-9_-]+$/i.test(String(input.service)))
    sink.add(
      ["service"],
      "Service name can only include alphanumeric characters, hyphens, and underscores",
      "it names containers and directories on the hosts; e.g. `my_app` or `my-app`",
    );
};
export const traefikHooks: WrittenRule = ({ input, hookNames }, sink) => {
  const found = ["pre-traefik-reboot", "post-traefik-reboot"].filter((hook) => hookNames.includes(hook));
  if (found.length > 0)
    sink.add(
      ["hooks_path"],
      `Found ${found.join(", ")}, these should be renamed to (pre|post)-proxy-reboot`,
      `rename them in ${String(input.hooks_path ?? ".kamal/hooks")}`,
    );
};
export const hooksOutputLevels: WrittenRule = ({ input }, sink) => {
  const value = input.hooks_output;
  const levels = ["quiet", "verbose"];
  if (value === undefined) return;
  const fix = "use `quiet` or `verbose`";
  if (!isHash(value)) {
    if (!levels.includes(hookLevel(value)))
      sink.add(["hooks_output"], `Invalid hooks_output '${hookLevel(value)}', must be one of: quiet, verbose`, fix);
    return;
  }
  for (const [hook, level] of Object.entries(value))
    if (!levels.includes(hookLevel(level)))
      sink.add(["hooks_output", hook], `Invalid hooks_output '${hookLevel(level)}' for hook '${hook}', must be one of: quiet, verbose`, fix);
};
export const aliasNames: WrittenRule = ({ input }, sink) => {
  for (const name of Object.keys(input.aliases ?? {})) {
    if (!/^[a-z0-9_-]+$/.test(name))
      sink.add(
        ["aliases", name],
        `Invalid alias name: '${name}'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.`,
        `e.g. \`${name.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}\``,
      );
    else if (BUILT_IN_COMMANDS.includes(name))
      sink.add(["aliases", name], `Alias '${name}' conflicts with a built-in command.`, "pick another name");
  }
};
export const outputSettings: WrittenRule = ({ input }, sink) => {
  const { file, otel } = input.output ?? {};
  if (file && (file.path === undefined || file.path === ""))
    sink.add(["output", "file"], "file path is required", "add `path: log/kamal`");
  if (otel && (otel.endpoint === undefined || otel.endpoint === ""))
    sink.add(["output", "otel"], "OTel endpoint is required", "add `endpoint: http://collector:4318`");
};
/**
 * Seconds that reach kamal-proxy as Go durations. Kamal accepts 0 and negatives and sends them as `"0s"`; kamal-proxy
 * then panics on a health check interval that is not positive (Go's time.NewTicker), taking down the proxy of every
 * app on the host, and with no time to check, answer, deploy or drain nothing works either.
 */
const PROXY_SECONDS: readonly { key: readonly string[]; why: string; otherwise: number }[] = [
  { key: ["healthcheck", "interval"], why: "kamal-proxy panics on an interval that is not positive, stopping every app on the host", otherwise: 1 },
  { key: ["healthcheck", "timeout"], why: "every health check would time out, so no container could become healthy", otherwise: 5 },
  { key: ["response_timeout"], why: "kamal-proxy would time out every request at once", otherwise: 30 },
];
const ROOT_SECONDS: readonly { key: "deploy_timeout" | "drain_timeout"; why: string; otherwise: number }[] = [
  { key: "deploy_timeout", why: "kamal-proxy would give a new container no time to become healthy", otherwise: 30 },
  { key: "drain_timeout", why: "kamal-proxy would cut off the requests old containers are still answering", otherwise: 30 },
];
export const positiveDurations: WrittenRule = ({ input }, sink) => {
  const check = (at: readonly (string | number)[], value: unknown, why: string, otherwise: number) => {
    if (typeof value === "number" && value <= 0)
      sink.add(at, `must be more than 0 seconds, got ${value}: ${why}`, `set it to 1 or more, or remove it for the default (${otherwise})`);
  };
  for (const { key, why, otherwise } of ROOT_SECONDS) check([key], input[key], why, otherwise);
  if (typeof input.readiness_delay === "number" && input.readiness_delay < 0)
    sink.add(["readiness_delay"], `must not be negative, got ${input.readiness_delay}`, "set it to 0 (no delay) or more, or remove it for the default (7)");
  const servers = input.servers !== undefined && !Array.isArray(input.servers) ? input.servers : {};
  const proxies: [readonly string[], unknown][] = [
    [["proxy"], input.proxy],
    ...Object.entries(servers).map(([name, role]): [string[], unknown] => [["servers", name, "proxy"], Array.isArray(role) ? undefined : role.proxy]),
    ...Object.entries(input.accessories ?? {}).map(([name, accessory]): [string[], unknown] => [["accessories", name, "proxy"], accessory.proxy]),
  ];
  for (const [at, proxy] of proxies)
    for (const { key, why, otherwise } of PROXY_SECONDS) check([...at, ...key], valueAt(proxy, key), why, otherwise);
};
const valueAt = (value: unknown, key: readonly string[]): unknown =>
  key.reduce<unknown>((part, name) => (typeof part === "object" && part !== null ? (part as Record<string, unknown>)[name] : undefined), value);

/** In Kamal's order (configuration.rb `initialize`). */
export const WRITTEN_RULES: readonly WrittenRule[] = [
  aliasNames,
  outputSettings,
  destinationRequired,
  minimumVersion,
  retainContainers,
  serviceName,
  traefikHooks,
  hooksOutputLevels,
  positiveDurations,
  shellSafeRoot,
  shellSafeServers,
  shellSafeAccessories,
  shellSafeBuilder,
];

export function checkWrittenRules(written: WrittenInput, sink: IssueSink): void {
  for (const rule of WRITTEN_RULES) rule(written, sink);
}

/** RubyGems' ordering, enough for release numbers: numeric parts compare as numbers, a text part is a pre-release. */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x = 0, y = 0] = [pa[i], pb[i]];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    if (typeof x === "number") return 1;
    if (typeof y === "number") return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
