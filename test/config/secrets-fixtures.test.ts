// The realistic secrets files in fixtures/secrets, loaded the way a deploy loads them: the 1Password one runs the
// fake `op` in fixtures/bin through the in-process `$(kamal secrets ...)` path.
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { createSecretStore } from "../../src/config/secrets.ts";
import { printSecrets } from "../../src/secrets/print.ts";
import { json, on, vendorLab } from "../secrets/vendor-lab.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/secrets");

test("the 1Password helper pattern: one op item get, then extracts, then plain values", async () => {
  const field = (name: string, value: string) => ({ label: name, value, reference: `op://Production/App/${name}` });
  const lab = vendorLab([
    on("op --version", { stdout: "2.30.0\n" }),
    on("op account get --account my-team"),
    json("op", ["item", "get", "App", "--vault", "Production", "--format", "json", "--account", "my-team", "--fields", "label=KAMAL_REGISTRY_PASSWORD,label=RAILS_MASTER_KEY"],
      [field("KAMAL_REGISTRY_PASSWORD", "reg-pass"), field("RAILS_MASTER_KEY", "0123abcd")]),
  ], { env: { DB_PASSWORD: "db-pass" } });
  const store = createSecretStore({ secretsPath: ".kamal/secrets", cwd: resolve(FIXTURES, "one-password"), env: lab.env, shell: lab.runner });
  await store.load();
  expect(printSecrets(store).split("\n").slice(1)).toEqual([
    "KAMAL_REGISTRY_PASSWORD=reg-pass",
    "RAILS_MASTER_KEY=0123abcd",
    "DATABASE_URL=postgres://app:db-pass@db.internal/app_production",
  ]);
  expect(lab.lines).toEqual([
    "op --version 2> /dev/null",
    "op account get --account my-team 2> /dev/null",
    'op item get App --vault "Production" --format "json" --account "my-team" --fields "label=KAMAL_REGISTRY_PASSWORD,label=RAILS_MASTER_KEY"',
  ]);
});

test("destinations share secrets-common and override it", async () => {
  const load = async (destination: string) => {
    const store = createSecretStore({
      secretsPath: ".kamal/secrets", destination, cwd: resolve(FIXTURES, "destinations"),
      env: { PATH: "/usr/bin:/bin", KAMAL_REGISTRY_PASSWORD: "from-ci" },
    });
    await store.load();
    return printSecrets(store);
  };
  expect(await load("staging")).toBe(
    "KAMAL_REGISTRY_PASSWORD=from-ci\nSENTRY_DSN=https://public@sentry.example.com/2\nRAILS_MASTER_KEY=staging-key-0123",
  );
  expect(await load("production")).toBe(
    "KAMAL_REGISTRY_PASSWORD=from-ci\nSENTRY_DSN=https://public@sentry.example.com/1\nRAILS_MASTER_KEY=production-key-4567",
  );
});
