// Adapter names as `kamal secrets fetch --adapter` accepts them (kamal lib/kamal/secrets/adapters.rb): four
// aliases, otherwise the name is camelized (ActiveSupport) and must name an adapter class, so `one_password`,
// `OnePassword` and `last_pass` all work while `aws-secrets-manager` does not.
import { SextantError } from "../errors.ts";
import type { Adapter } from "./adapter.ts";
import { awsSecretsManager } from "./adapters/aws-secrets-manager.ts";
import { bitwardenSecretsManager } from "./adapters/bitwarden-secrets-manager.ts";
import { bitwarden } from "./adapters/bitwarden.ts";
import { doppler } from "./adapters/doppler.ts";
import { enpass } from "./adapters/enpass.ts";
import { gcpSecretManager } from "./adapters/gcp-secret-manager.ts";
import { lastPass } from "./adapters/last-pass.ts";
import { onePassword } from "./adapters/one-password.ts";
import { passbolt } from "./adapters/passbolt.ts";
import { test } from "./adapters/test.ts";

/** Kamal's adapter class names. */
const ADAPTERS: ReadonlyMap<string, Adapter> = new Map([
  ["OnePassword", onePassword],
  ["Bitwarden", bitwarden],
  ["BitwardenSecretsManager", bitwardenSecretsManager],
  ["LastPass", lastPass],
  ["AwsSecretsManager", awsSecretsManager],
  ["Doppler", doppler],
  ["GcpSecretManager", gcpSecretManager],
  ["Enpass", enpass],
  ["Passbolt", passbolt],
  ["Test", test],
]);

const ALIASES: ReadonlyMap<string, string> = new Map([
  ["1password", "one_password"],
  ["lastpass", "last_pass"],
  ["gcp", "gcp_secret_manager"],
  ["bitwarden-sm", "bitwarden_secrets_manager"],
]);

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** ActiveSupport's `String#camelize` without acronyms: `one_password` -> `OnePassword`. */
const camelize = (name: string) =>
  name.replace(/^[a-z\d]*/, capitalize).replace(/(?:_|(\/))([a-z\d]*)/gi, (_, slash: string | undefined, word: string) =>
    `${slash ? "::" : ""}${capitalize(word)}`);

export function lookupAdapter(name: string): Adapter {
  const resolved = ALIASES.get(name.toLowerCase()) ?? name;
  const adapter = ADAPTERS.get(camelize(resolved));
  if (!adapter)
    throw new SextantError(`Unknown secrets adapter: ${resolved}`, {
      hint: "use one of 1password, bitwarden, bitwarden-sm, lastpass, aws_secrets_manager, doppler, gcp, enpass, passbolt",
    });
  return adapter;
}
