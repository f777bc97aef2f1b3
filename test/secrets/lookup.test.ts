import { expect, test } from "vitest";
import { awsSecretsManager } from "../../src/secrets/adapters/aws-secrets-manager.ts";
import { bitwardenSecretsManager } from "../../src/secrets/adapters/bitwarden-secrets-manager.ts";
import { bitwarden } from "../../src/secrets/adapters/bitwarden.ts";
import { doppler } from "../../src/secrets/adapters/doppler.ts";
import { enpass } from "../../src/secrets/adapters/enpass.ts";
import { gcpSecretManager } from "../../src/secrets/adapters/gcp-secret-manager.ts";
import { lastPass } from "../../src/secrets/adapters/last-pass.ts";
import { onePassword } from "../../src/secrets/adapters/one-password.ts";
import { passbolt } from "../../src/secrets/adapters/passbolt.ts";
import { lookupAdapter } from "../../src/secrets/lookup.ts";

test.each([
  ["1password", onePassword], ["1Password", onePassword], ["one_password", onePassword], ["OnePassword", onePassword],
  ["bitwarden", bitwarden], ["Bitwarden", bitwarden],
  ["bitwarden-sm", bitwardenSecretsManager], ["bitwarden_secrets_manager", bitwardenSecretsManager],
  ["lastpass", lastPass], ["LastPass", lastPass], ["last_pass", lastPass],
  ["aws_secrets_manager", awsSecretsManager], ["doppler", doppler],
  ["gcp", gcpSecretManager], ["GCP", gcpSecretManager], ["gcp_secret_manager", gcpSecretManager],
  ["enpass", enpass], ["passbolt", passbolt],
])("%s", (name, adapter) => {
  expect(lookupAdapter(name)).toBe(adapter);
});

test.each(["aws-secrets-manager", "BITWARDEN", "vault", "base", "toString", "constructor"])("%s is unknown, as in Kamal", (name) => {
  expect(() => lookupAdapter(name)).toThrow(`Unknown secrets adapter: ${name}`);
});
