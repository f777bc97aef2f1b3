// Builds a Config from YAML text for tests, the way the loader does: parse with Psych's rules, deep-merge the
// destination file, validate and normalise. Secrets come from a record instead of .kamal/secrets.
import { ConfigError } from "../../src/errors.ts";
import { deepMerge } from "../../src/config/merge.ts";
import { memorySecretStore } from "../../src/config/memory-secrets.ts";
import type { Config } from "../../src/config/model.ts";
import { resolveConfig } from "../../src/config/normalise.ts";
import { parseYaml } from "../../src/config/yaml.ts";

export type ConfigFromYamlOptions = {
  destination?: string;
  destinationYaml?: string;
  version?: string;
  secrets?: Record<string, string>;
  /** file names in the hooks directory */
  hookNames?: string[];
};

const MAIN = "config/deploy.yml";

/** Throws ConfigError when the YAML has issues. */
export function configFromYaml(yamlText: string, opts: ConfigFromYamlOptions = {}): Config {
  const result = resolveFromYaml(yamlText, opts);
  if ("issues" in result) throw new ConfigError(result.issues);
  return result.config;
}

/** The issues or the config and its warnings, as resolveConfig returns them. */
export function resolveFromYaml(yamlText: string, opts: ConfigFromYamlOptions = {}): ReturnType<typeof resolveConfig> {
  const main = parseYaml(yamlText, MAIN);
  const destinationFile = opts.destination ? `config/deploy.${opts.destination}.yml` : undefined;
  const extra = opts.destinationYaml && destinationFile ? parseYaml(opts.destinationYaml, destinationFile) : undefined;
  const raw = extra ? deepMerge(asHash(main.value), asHash(extra.value)) : main.value;
  return resolveConfig({
    raw,
    files: { main: MAIN, ...(destinationFile ? { destination: destinationFile } : {}) },
    locate: (path) => {
      const inDestination = extra?.locate(path);
      if (inDestination && destinationFile) return { file: destinationFile, ...inDestination };
      const inMain = main.locate(path);
      return inMain ? { file: MAIN, ...inMain } : undefined;
    },
    ...(opts.destination ? { destination: opts.destination } : {}),
    version: opts.version ?? "999",
    secrets: memorySecretStore(opts.secrets ?? {}),
    hookNames: opts.hookNames ?? [],
  });
}

const asHash = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
