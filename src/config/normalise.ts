// deploy.yml as parsed (after ERB and the destination merge) → validated → the Config model builders and flows use.
// The YAML-shaped input types live in schema/; the camelCase model in model.ts; the mapping only here.
import type { Issue } from "../errors.ts";
import { envSpec, mergeEnv } from "./env.ts";
import { addProblems, issueSink, type IssueSink, type Locate } from "./issues.ts";
import { checkKamal1, traefikLabelWarnings } from "./kamal1.ts";
import { deepMerge } from "./merge.ts";
import type { Boot, Builder, Config, EnvSpec, HookVerbosity, Logging, Role, SecretStore, Ssh } from "./model.ts";
import { toAccessory } from "./normalise-accessory.ts";
import { toProxy } from "./normalise-proxy.ts";
import { toRegistry } from "./normalise-registry.ts";
import { checkRules, hookLevel } from "./rules.ts";
import { kamalErrorMap, problemsOf, type SchemaProblem } from "./schema/messages.ts";
import type { ProxyInput } from "./schema/proxy.ts";
import { rootSchema, type RootInput } from "./schema/root.ts";
import type { RoleInput, ServerEntry } from "./schema/servers.ts";

export type ResolveInput = {
  readonly raw: unknown;
  readonly files: { readonly main: string; readonly destination?: string };
  readonly locate?: Locate;
  readonly destination?: string;
  /** the app version in force (kamal-commands.md §2.2) */
  readonly version: string;
  readonly secrets: SecretStore;
  /** file names in hooks_path, for the renamed Traefik hooks check */
  readonly hookNames?: readonly string[];
};

export type Resolved = { config: Config; warnings: string[] } | { issues: Issue[] };

export function resolveConfig(input: ResolveInput): Resolved {
  const sink = issueSink(input.files.main, input.locate);
  if (typeof input.raw !== "object" || input.raw === null || Array.isArray(input.raw)) {
    sink.add([], "should be a hash", "start the file with `service: NAME` and the other settings, one per line");
    return { issues: sink.inFileOrder(input.raw) };
  }
  const raw = input.raw as Record<string, unknown>;
  const kamal1 = checkKamal1(raw, sink);
  // `x-` keys may hold YAML anchors, at the root only (validator/configuration.rb).
  const checked = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith("x-")));
  const parsed = rootSchema.safeParse(checked, { error: kamalErrorMap });
  if (!parsed.success) addProblems(sink, [], withoutReported(problemsOf(parsed.error.issues), kamal1));
  if (sink.count > 0 || !parsed.success) return { issues: sink.inFileOrder(raw) };

  const config = toConfig(parsed.data, raw, input);
  checkRules({ config, input: parsed.data, destination: input.destination, hookNames: input.hookNames ?? [] }, sink);
  if (sink.count > 0) return { issues: sink.inFileOrder(raw) };
  return { config, warnings: traefikLabelWarnings(raw, input.files.main) };
}

/** Drops problems about keys already reported as Kamal 1 configuration. */
function withoutReported(problems: SchemaProblem[], reported: ReadonlySet<string>): SchemaProblem[] {
  const isReported = (path: readonly (string | number)[]) =>
    path.some((_, end) => reported.has(path.slice(0, end + 1).join("/")));
  return problems.flatMap((problem) => {
    if (isReported(problem.path)) return [];
    if (!problem.keys) return [problem];
    const keys = problem.keys.filter((key) => !reported.has([...problem.path, key].join("/")));
    if (keys.length === 0) return [];
    return [{ ...problem, keys, message: `unknown ${keys.length === 1 ? "key" : "keys"}: ${keys.join(", ")}` }];
  });
}

const str = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

function toConfig(root: RootInput, raw: Record<string, unknown>, input: ResolveInput): Config {
  const service = str(root.service) ?? "";
  const registry = toRegistry(root.registry, input.secrets);
  const image = str(root.image) || (registry.local ? service : "");
  const primaryRole = str(root.primary_role) ?? "web";
  const envTags = Object.fromEntries(
    Object.entries((root.env?.tags ?? {}) as Record<string, Record<string, unknown>>).map(([tag, env]) => [tag, envSpec(env)]),
  );
  const context: RoleContext = {
    service,
    destination: input.destination,
    primaryRole,
    labels: stringMap(root.labels),
    env: envSpec(root.env),
    logging: (root.logging ?? {}) as LoggingInput,
    proxy: root.proxy,
    stopTimeout: root.stop_timeout,
    assetPath: str(root.asset_path),
  };
  const roles = toRoles(root.servers, context);
  const accessories = Object.entries(root.accessories ?? {}).map(([name, accessory]) =>
    toAccessory(name, accessory, service, roles, input.secrets),
  );
  const allHosts = new Set([...roles.flatMap((role) => role.hosts), ...accessories.flatMap((accessory) => accessory.hosts)]);
  return {
    service,
    image,
    destination: input.destination,
    version: input.version,
    repository: [registry.server, image].filter((part) => part !== undefined).join("/"),
    serviceWithDestination: [service, input.destination].filter((part) => part !== undefined).join("-"),
    labels: context.labels,
    volumes: (root.volumes ?? []).map(String),
    registry,
    roles,
    primaryRole,
    allowEmptyRoles: root.allow_empty_roles ?? false,
    accessories,
    env: context.env,
    envTags,
    logging: toLogging(context.logging),
    ssh: toSsh(root.ssh ?? {}),
    sshkit: {
      maxConcurrentStarts: root.sshkit?.max_concurrent_starts ?? 30,
      poolIdleTimeout: root.sshkit?.pool_idle_timeout ?? 900,
      dnsRetries: root.sshkit?.dns_retries ?? 3,
    },
    builder: toBuilder(root.builder),
    boot: toBoot(root.boot ?? {}, allHosts.size),
    hooksPath: str(root.hooks_path) ?? ".kamal/hooks",
    hooksOutput: toHooksOutput(root.hooks_output),
    secretsPath: str(root.secrets_path) ?? ".kamal/secrets",
    errorPagesPath: str(root.error_pages_path),
    requireDestination: root.require_destination ?? false,
    retainContainers: root.retain_containers ?? 5,
    minimumVersion: str(root.minimum_version),
    readinessDelay: root.readiness_delay ?? 7,
    deployTimeout: root.deploy_timeout ?? 30,
    drainTimeout: root.drain_timeout ?? 30,
    stopTimeout: root.stop_timeout,
    assetPath: context.assetPath,
    aliases: stringMap(root.aliases),
    output: {
      file: root.output?.file ? { path: str(root.output.file.path) ?? "" } : undefined,
      otel: root.output?.otel ? { endpoint: str(root.output.otel.endpoint) ?? "" } : undefined,
    },
    secrets: input.secrets,
    raw,
    files: [input.files.main, ...(input.files.destination ? [input.files.destination] : [])],
  };
}

type LoggingInput = { driver?: unknown; options?: Record<string, unknown> };

/** What every role inherits from the root. */
type RoleContext = {
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
function toRoles(servers: RootInput["servers"], context: RoleContext): Role[] {
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
    if (typeof entry === "object") {
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

function toLogging(raw: LoggingInput): Logging {
  return { driver: str(raw.driver), options: (raw.options ?? {}) as Logging["options"] };
}

function toSsh(raw: NonNullable<RootInput["ssh"]>): Ssh {
  const config = raw.config;
  return {
    user: str(raw.user) ?? "root",
    port: raw.port === undefined ? 22 : Number(raw.port),
    proxy: str(raw.proxy),
    proxyCommand: str(raw.proxy_command),
    logLevel: str(raw.log_level) ?? "fatal",
    keysOnly: raw.keys_only,
    keys: raw.keys?.map(String),
    keyData: raw.key_data?.map(String),
    config: config === undefined ? true : typeof config === "boolean" ? config : Array.isArray(config) ? config.map(String) : [String(config)],
    forwardAgent: raw.forward_agent ?? true,
  };
}

function toBuilder(raw: RootInput["builder"]): Builder {
  const arch = raw.arch;
  return {
    arch: (Array.isArray(arch) ? arch : arch === undefined ? [] : [arch]).map(String),
    remote: str(raw.remote),
    local: raw.local ?? true,
    driver: str(raw.driver) ?? "docker-container",
    cache: raw.cache
      ? { type: str(raw.cache.type) ?? "", options: str(raw.cache.options), image: str(raw.cache.image) }
      : undefined,
    context: str(raw.context),
    dockerfile: str(raw.dockerfile) ?? "Dockerfile",
    target: str(raw.target),
    args: (raw.args ?? {}) as Builder["args"],
    secrets: (raw.secrets ?? []).map(String),
    ssh: str(raw.ssh),
    provenance: str(raw.provenance),
    sbom: raw.sbom,
    pack: raw.pack ? { builder: str(raw.pack.builder) ?? "", buildpacks: (raw.pack.buildpacks ?? []).map(String) } : undefined,
  };
}

/** `limit: N%` is a share of every configured host, accessory hosts included, and at least 1 (boot.rb). */
function toBoot(raw: NonNullable<RootInput["boot"]>, hostCount: number): Boot {
  const limit = str(raw.limit);
  return {
    limit:
      limit === undefined ? undefined
      : limit.endsWith("%") ? Math.max(Math.floor((hostCount * Number.parseInt(limit, 10)) / 100), 1)
      : Number.parseInt(limit, 10),
    wait: raw.wait,
    parallelRoles: raw.parallel_roles ?? false,
  };
}

const LEVELS: readonly string[] = ["quiet", "verbose"];

function toHooksOutput(raw: RootInput["hooks_output"]): Config["hooksOutput"] {
  if (raw === undefined) return undefined;
  if (typeof raw !== "object") return LEVELS.includes(hookLevel(raw)) ? (hookLevel(raw) as HookVerbosity) : undefined;
  return Object.fromEntries(
    Object.entries(raw)
      .map(([hook, level]) => [hook, hookLevel(level)] as const)
      .filter(([, level]) => LEVELS.includes(level)),
  ) as Record<string, HookVerbosity>;
}

const stringMap = (raw: Readonly<Record<string, unknown>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(raw ?? {}).map(([key, value]) => [key, String(value)]));
