// The env a container gets (kamal lib/kamal/configuration/env.rb, role.rb `env(host)`): root env ⊕ role env ⊕ the
// env of each of the host's tags, in the host's tag order. ⊕ merges clear values (right wins) and unions secret
// names (order kept).
import type { ClearValue, Config, EnvSpec, ResolvedEnv, Role, SecretStore } from "./model.ts";
import { ownValue } from "./own-value.ts";

export const EMPTY_ENV: EnvSpec = { clear: {}, secrets: [] };

export function mergeEnv(base: EnvSpec, over: EnvSpec): EnvSpec {
  return {
    clear: { ...base.clear, ...over.clear },
    secrets: [...base.secrets, ...over.secrets.filter((name) => !base.secrets.includes(name))],
  };
}

/** The env of `role` on `host`. Tags the root env does not define are ignored, as in Kamal. */
export function envFor(config: Config, role: Role, host: string): EnvSpec {
  const tags = role.tags[host] ?? [];
  return tags.reduce((env, tag) => {
    const tagEnv = ownValue(config.envTags, tag);
    return tagEnv ? mergeEnv(env, tagEnv) : env;
  }, role.env);
}

/** Looks the secrets up: `NAME` reads secret NAME, `NAME:SECRET` reads secret SECRET into variable NAME. */
export function resolveEnv(spec: EnvSpec, secrets: SecretStore): ResolvedEnv {
  return {
    clear: spec.clear,
    secrets: spec.secrets.map((entry) => {
      const [name, source] = splitAlias(entry);
      return [name, secrets.get(source)] as const;
    }),
  };
}

/** `DB_PASSWORD:MAIN_DB_PASS` → [DB_PASSWORD, MAIN_DB_PASS]; split at the first `:` only. */
export function splitAlias(entry: string): [name: string, secret: string] {
  const colon = entry.indexOf(":");
  return colon === -1 ? [entry, entry] : [entry.slice(0, colon), entry.slice(colon + 1)];
}

/** Reads an env section as written (simple or structured) into an EnvSpec. */
export function envSpec(raw: Readonly<Record<string, unknown>> | undefined): EnvSpec {
  if (!raw) return EMPTY_ENV;
  const structured = "clear" in raw || "secret" in raw || "tags" in raw;
  const clear = (structured ? raw.clear : raw) as Record<string, ClearValue> | undefined;
  const secrets = structured ? ((raw.secret as unknown[] | undefined) ?? []).map(String) : [];
  return { clear: { ...clear }, secrets };
}
