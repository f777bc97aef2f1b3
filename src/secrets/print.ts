// `kamal secrets print` (kamal lib/kamal/cli/secrets.rb): every loaded secret as KEY=value, in file order.
import type { SecretStore } from "../config/model.ts";

/** The lines `secrets print` writes. The store must be loaded. Printing values is this command's whole purpose. */
export function printSecrets(store: SecretStore): string {
  return [...store.all()].map(([name, secret]) => `${name}=${secret.reveal()}`).join("\n");
}
