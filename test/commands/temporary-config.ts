// Temporary stand-in for test/support/config.ts (the config helper's) until it lands: YAML text → Config.
import { parse } from "yaml";
import type { SecretStore } from "../../src/config/model.ts";
import { resolveConfig } from "../../src/config/normalise.ts";
import { Secret } from "../../src/config/secret.ts";

function memorySecrets(values: Record<string, string>): SecretStore {
  const all = new Map(Object.entries(values).map(([k, v]) => [k, new Secret(v, k)]));
  return {
    load: async () => {},
    get: (name) => {
      const found = all.get(name);
      if (found === undefined) throw new Error(`Secret '${name}' not found`);
      return found;
    },
    has: (name) => all.has(name),
    all: () => all,
    files: [],
  };
}

export function configFromYaml(yamlText: string, opts: { destination?: string; version?: string; secrets?: Record<string, string> } = {}) {
  const resolved = resolveConfig({
    raw: parse(yamlText, { version: "1.1" }),
    files: { main: "config/deploy.yml" },
    destination: opts.destination,
    version: opts.version ?? "999",
    secrets: memorySecrets(opts.secrets ?? {}),
  });
  if ("issues" in resolved) throw new Error(resolved.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return resolved.config;
}
