// deploy.yml as parsed (after ERB and the destination merge) → validated → the Config model builders and flows use.
// The YAML-shaped input types live in schema/; the camelCase model in model.ts; the mapping only here.
import type { z } from "zod";
import type { Issue } from "../errors.ts";
import { docsCommand } from "./docs.ts";
import { envSpec } from "./env.ts";
import { addProblems, issueSink, type Locate } from "./issues.ts";
import { checkKamal1, traefikLabelWarnings } from "./kamal1.ts";
import type { Config, SecretStore } from "./model.ts";
import { toAccessory } from "./normalise-accessory.ts";
import { toRegistry } from "./normalise-registry.ts";
import { type LoggingInput, type RoleContext, toLogging, toRoles } from "./normalise-role.ts";
import { toBoot, toBuilder, toHooksOutput, toSsh } from "./normalise-settings.ts";
import { str, stringMap } from "./normalise-values.ts";
import { ownValue } from "./own-value.ts";
import { checkRules } from "./rules.ts";
import { checkWrittenRules } from "./rules-written.ts";
import { knownKeys } from "./schema/introspect.ts";
import { kamalErrorMap, problemsOf, type SchemaProblem, unknownKeysMessage } from "./schema/messages.ts";
import { rootSchema, rootShape, type RootInput } from "./schema/root.ts";
import { closest } from "./suggest.ts";

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
  // jitless: the config is parsed once per run, so zod's eval-compiled fast path would cost more than it saves.
  const parsed = rootSchema.safeParse(checked, { error: kamalErrorMap, jitless: true });
  if (!parsed.success) addProblems(sink, [], withoutReported(problemsOf(parsed.error.issues), kamal1).map(withSuggestion));
  const written = parsed.success ? parsed.data : validSettings(checked);
  checkWrittenRules({ input: written, destination: input.destination, hookNames: input.hookNames ?? [] }, sink);
  if (!parsed.success) return { issues: sink.inFileOrder(raw) };

  const config = toConfig(parsed.data, raw, input);
  checkRules({ config, input: parsed.data }, sink);
  if (sink.count > 0) return { issues: sink.inFileOrder(raw) };
  return { config, warnings: traefikLabelWarnings(raw, input.files.main) };
}

/** The root settings that pass their own schema, for the checks that need nothing else. */
function validSettings(checked: Record<string, unknown>): Partial<RootInput> {
  const shape: Record<string, z.ZodType> = rootShape;
  // Each value was just checked against its own schema, so the partial object has the written types.
  return Object.fromEntries(
    Object.entries(checked).filter(([key, value]) => ownValue(shape, key)?.safeParse(value, { error: kamalErrorMap }).success),
  ) as Partial<RootInput>;
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
    return [{ ...problem, keys, message: unknownKeysMessage(keys) }];
  });
}

/** For a misspelt key, the key that was probably meant. */
function withSuggestion(problem: SchemaProblem): SchemaProblem {
  if (!problem.keys) return problem;
  const known = knownKeys(rootSchema, problem.path);
  const hints = problem.keys.flatMap((key) => {
    const meant = closest(key, known);
    if (!meant) return [];
    return [problem.keys?.length === 1 ? `\`${meant}\`` : `\`${meant}\` for \`${key}\``];
  });
  const fix = `${hints.length > 0 ? `did you mean ${hints.join(", ")}? ` : ""}${docsCommand(problem.path)} lists the keys`;
  return { ...problem, fix };
}

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

