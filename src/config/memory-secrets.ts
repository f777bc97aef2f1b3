// A SecretStore over a fixed record: for `loadConfigFromText` (tests, conformance vectors), where no secrets files
// exist and no `$(...)` may run.
import { SextantError } from "../errors.ts";
import type { SecretStore } from "./model.ts";
import { Secret } from "./secret.ts";

export function memorySecretStore(values: Readonly<Record<string, string>>): SecretStore {
  const all = new Map(Object.entries(values).map(([name, value]) => [name, new Secret(value, name)]));
  return {
    files: [],
    load: async () => {},
    get(name) {
      const secret = all.get(name);
      if (!secret) throw new SextantError(`Secret '${name}' not found`, { hint: `provide ${name} in the secrets given to the config` });
      return secret;
    },
    // As in the file-backed store: Kamal's `key?` treats a blank value as absent.
    has: (name) => (all.get(name)?.reveal().trim() ?? "") !== "",
    all: () => all,
  };
}
