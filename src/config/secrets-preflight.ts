// The secrets a run will use, checked before anything is sent. Kamal reads secrets lazily and stops at the first
// one it misses, often on a host halfway through a deploy; sextant names every missing one at once, with where
// config/deploy.yml refers to it, for dry runs and real runs alike.
import type { Issue } from "../errors.ts";
import { envFor, splitAlias } from "./env.ts";
import type { Accessory, Config, Registry, Role } from "./model.ts";
import { isSecret } from "./secret.ts";

/** What a run does that reads secrets; each flow says this about itself. */
export type SecretUse = {
  /** logs in to the app's registry */
  readonly registry?: boolean;
  /** builds the image (`builder/secrets`) */
  readonly builder?: boolean;
  /** boots these roles on these hosts: their env secrets, with each host's tags applied */
  readonly roles?: ReadonlyArray<{ readonly host: string; readonly role: Role }>;
  /** boots these accessories: their env secrets and the credentials of the registry they pull from */
  readonly accessories?: readonly Accessory[];
};

/** The secrets the files gave (after their `$(...)` ran), and which files exist, for the messages. */
export type LoadedSecrets = { has(name: string): boolean; readonly files: readonly string[] };

type Reference = { readonly path: string; readonly secret: string };

/** One issue per reference to a secret that no secrets file sets, in config order (registry, builder, env, accessories). */
export function missingSecrets(config: Config, use: SecretUse, loaded: LoadedSecrets): Issue[] {
  const references = [
    ...(use.registry ? registryReferences("registry", config.registry) : []),
    ...(use.builder ? config.builder.secrets.map((secret) => ({ path: "builder/secrets", secret })) : []),
    ...(use.roles ?? []).flatMap(({ host, role }) => roleReferences(config, role, host)),
    ...(use.accessories ?? []).flatMap((a) => accessoryReferences(config, a)),
  ];
  const seen = new Set<string>();
  const issues: Issue[] = [];
  const candidates = secretsFiles(config);
  const where = loaded.files.length > 0 ? `in ${loaded.files.join(" or ")}` : `in any secrets file (there is no ${candidates.join(" or ")})`;
  for (const ref of references) {
    const key = `${ref.path}\0${ref.secret}`;
    if (loaded.has(ref.secret) || seen.has(key)) continue;
    seen.add(key);
    issues.push({
      file: config.files[0] ?? "config/deploy.yml",
      path: ref.path,
      message: `${ref.secret} is not set ${where}`,
      fix: `add ${ref.secret}=... to ${candidates.at(-1) ?? ".kamal/secrets"}`,
    });
  }
  return issues;
}

/** `[NAME]` credentials; a local registry takes no login. */
function registryReferences(at: string, registry: Registry): Reference[] {
  if (registry.local) return [];
  return (["username", "password"] as const).flatMap((key) => {
    const value = registry[key];
    return isSecret(value) ? [{ path: `${at}/${key}`, secret: value.name }] : [];
  });
}

/** Root env, then the host's tags, then the role's own env: where each name was written. */
function roleReferences(config: Config, role: Role, host: string): Reference[] {
  const tags = role.tags[host] ?? [];
  return envFor(config, role, host).secrets.map((entry) => {
    const tag = tags.find((t) => config.envTags[t]?.secrets.includes(entry));
    const path = config.env.secrets.includes(entry) ? "env/secret" : tag !== undefined ? `env/tags/${tag}/secret` : `servers/${role.name}/env/secret`;
    return { path, secret: splitAlias(entry)[1] };
  });
}

function accessoryReferences(config: Config, a: Accessory): Reference[] {
  const env = a.env.secrets.map((entry) => ({ path: `accessories/${a.name}/env/secret`, secret: splitAlias(entry)[1] }));
  const registry = a.registry ? registryReferences(`accessories/${a.name}/registry`, a.registry) : registryReferences("registry", config.registry);
  return [...registry, ...env];
}

/** Kamal's secrets files for this destination, shared one first (kamal lib/kamal/secrets.rb). */
function secretsFiles(config: Config): string[] {
  const path = config.secretsPath;
  return [`${path}-common`, config.destination ? `${path}.${config.destination}` : path];
}
