import { describe, expect, test } from "vitest";
import { loadConfigFromText } from "../../src/config/load.ts";
import { missingSecrets, type LoadedSecrets } from "../../src/config/secrets-preflight.ts";
import { formatIssue } from "../../src/errors.ts";

const YAML = `service: app
image: dhh/app
servers:
  web:
    hosts:
      - 10.0.0.1
      - 10.0.0.2: [eu]
  workers:
    hosts: [10.0.0.3]
    env:
      secret: [QUEUE_TOKEN]
registry:
  server: registry.example.com
  username: deployer
  password: [KAMAL_REGISTRY_PASSWORD]
builder:
  arch: amd64
  secrets: [GITHUB_TOKEN]
env:
  secret: [RAILS_MASTER_KEY, DB_PASSWORD:MAIN_DB_PASSWORD]
  tags:
    eu:
      secret: [EU_KEY]
accessories:
  db:
    image: mysql:8
    host: 10.0.0.1
    env:
      secret: [MYSQL_ROOT_PASSWORD]
  cache:
    image: ghcr.io/acme/cache
    host: 10.0.0.1
    registry:
      server: ghcr.io
      username: [GHCR_USER]
      password: [GHCR_TOKEN]
`;

const config = async (destination?: string) =>
  (await loadConfigFromText({ yaml: YAML, version: "abc", destination, destinationYaml: destination ? "{}" : undefined })).config!;
const loaded = (names: string[], files = [".kamal/secrets"]): LoadedSecrets => ({ has: (n) => names.includes(n), files });
const messages = (issues: ReturnType<typeof missingSecrets>) => issues.map(formatIssue);

describe("missingSecrets", () => {
  test("names every missing secret of the run once, where deploy.yml refers to it, in config order", async () => {
    const c = await config();
    const roles = [
      { host: "10.0.0.1", role: c.roles[0]! },
      { host: "10.0.0.2", role: c.roles[0]! },
      { host: "10.0.0.3", role: c.roles[1]! },
    ];
    const issues = missingSecrets(c, { registry: true, builder: true, roles, accessories: c.accessories }, loaded([]));
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "registry/password: KAMAL_REGISTRY_PASSWORD is not set in .kamal/secrets",
      "builder/secrets: GITHUB_TOKEN is not set in .kamal/secrets",
      "env/secret: RAILS_MASTER_KEY is not set in .kamal/secrets",
      "env/secret: MAIN_DB_PASSWORD is not set in .kamal/secrets",
      "env/tags/eu/secret: EU_KEY is not set in .kamal/secrets",
      "servers/workers/env/secret: QUEUE_TOKEN is not set in .kamal/secrets",
      "accessories/db/env/secret: MYSQL_ROOT_PASSWORD is not set in .kamal/secrets",
      "accessories/cache/registry/username: GHCR_USER is not set in .kamal/secrets",
      "accessories/cache/registry/password: GHCR_TOKEN is not set in .kamal/secrets",
    ]);
    expect(messages(issues)[0]).toBe(
      "config/deploy.yml: registry/password: KAMAL_REGISTRY_PASSWORD is not set in .kamal/secrets\n" +
        "  fix: add KAMAL_REGISTRY_PASSWORD=... to .kamal/secrets",
    );
  });

  test("checks only what the run uses: a deploy of one host skips other hosts' tags, the builder and accessories", async () => {
    const c = await config();
    const issues = missingSecrets(c, { registry: true, roles: [{ host: "10.0.0.1", role: c.roles[0]! }] }, loaded(["RAILS_MASTER_KEY"]));
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "registry/password: KAMAL_REGISTRY_PASSWORD is not set in .kamal/secrets",
      "env/secret: MAIN_DB_PASSWORD is not set in .kamal/secrets",
    ]);
  });

  test("nothing missing, no issues", async () => {
    const c = await config();
    const all = ["KAMAL_REGISTRY_PASSWORD", "GITHUB_TOKEN", "RAILS_MASTER_KEY", "MAIN_DB_PASSWORD", "MYSQL_ROOT_PASSWORD", "GHCR_USER", "GHCR_TOKEN"];
    expect(missingSecrets(c, { registry: true, builder: true, accessories: c.accessories }, loaded(all))).toEqual([]);
  });

  test("says which files were read, or that there are none, and points the fix at the destination's file", async () => {
    const c = await config("staging");
    const some = missingSecrets(c, { registry: true }, loaded([], [".kamal/secrets-common", ".kamal/secrets.staging"]));
    expect(messages(some)).toEqual([
      "config/deploy.yml: registry/password: KAMAL_REGISTRY_PASSWORD is not set in .kamal/secrets-common or .kamal/secrets.staging\n" +
        "  fix: add KAMAL_REGISTRY_PASSWORD=... to .kamal/secrets.staging",
    ]);
    const none = missingSecrets(c, { registry: true }, loaded([], []));
    expect(none[0]?.message).toBe("KAMAL_REGISTRY_PASSWORD is not set in any secrets file (there is no .kamal/secrets-common or .kamal/secrets.staging)");
  });

  test("a local registry takes no login, so its credentials are not needed", async () => {
    const { config: c } = await loadConfigFromText({
      yaml: "service: app\nimage: app\nservers: [10.0.0.1]\nregistry:\n  server: localhost:5000\n  password: [NOPE]\nbuilder:\n  arch: amd64\n",
      version: "abc",
    });
    expect(missingSecrets(c!, { registry: true }, loaded([]))).toEqual([]);
  });
});
