// Reads a registry section into the model (kamal lib/kamal/configuration/registry.rb).
import type { Registry, SecretStore } from "./model.ts";
import type { RegistryInput } from "./schema/registry.ts";
import { isLocalRegistry } from "./schema/registry.ts";
import { secretRef } from "./secret-ref.ts";
import type { Secret } from "./secret.ts";

export function toRegistry(raw: RegistryInput, secrets: SecretStore): Registry {
  const server = raw.server === undefined ? undefined : String(raw.server);
  const local = isLocalRegistry(server);
  return {
    server,
    username: credential(raw.username, secrets),
    password: credential(raw.password, secrets),
    local,
    localPort: local && server ? Number.parseInt(server.split(":").at(-1) ?? "", 10) || 80 : undefined,
  };
}

/** `[NAME]` reads secret NAME from .kamal/secrets; anything else is the value itself. */
function credential(value: unknown, secrets: SecretStore): string | Secret | undefined {
  if (Array.isArray(value)) return secretRef(secrets, String(value[0]));
  return value === undefined || value === null ? undefined : String(value);
}
