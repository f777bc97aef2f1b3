import type { SecretStore } from "./model.ts";
import { Secret } from "./secret.ts";

/**
 * A secret named in deploy.yml (`password: [KAMAL_REGISTRY_PASSWORD]`). Kamal reads .kamal/secrets lazily, on first
 * use, because loading runs every `$(...)` in the file; so the config holds a reference that asks the store when an
 * executor reveals it. It still prints as [REDACTED].
 */
class SecretRef extends Secret {
  readonly #store: SecretStore;
  constructor(store: SecretStore, name: string) {
    super("", name);
    this.#store = store;
  }
  override reveal(): string {
    return this.#store.get(this.name).reveal();
  }
}

export const secretRef = (store: SecretStore, name: string): Secret => new SecretRef(store, name);
