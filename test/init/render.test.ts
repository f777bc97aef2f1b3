import { describe, expect, test } from "vitest";
import { loadConfigFromText } from "../../src/config/load.ts";
import { settingsFrom } from "../../src/init/learn.ts";
import { renderDeployYml, renderSecrets, yamlScalar } from "../../src/init/render.ts";

const SCHEMA = "../node_modules/sextant-deploy/docs/deploy.schema.json";
const npmProject = settingsFrom({
  packageName: "@acme/shop-web",
  originUrl: "https://github.com/acme/shop.git",
  dockerfile: "FROM node:20-slim\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
  schemaPath: SCHEMA,
}).settings;
const emptyDirectory = settingsFrom({ packageName: undefined, originUrl: undefined, dockerfile: undefined, schemaPath: SCHEMA }).settings;

describe("renderDeployYml", () => {
  test("an npm project with a GitHub remote and a Dockerfile", () => {
    expect(renderDeployYml(npmProject)).toMatchInlineSnapshot(`
      "# yaml-language-server: $schema=../node_modules/sextant-deploy/docs/deploy.schema.json
      # Where and how to deploy this app. \`sextant docs\` explains every key; \`sextant config\` shows the result.

      # The service name prefixes container names (service-role-version), so keep it short and unique per server.
      service: shop-web

      # The image name, without registry server or tag (the tag is the git commit, or --version).
      image: acme/shop

      # Hosts per role. The first role (web unless primary_role says otherwise) runs behind kamal-proxy.
      servers:
        web:
          - 192.168.0.1
        # job:
        #   hosts:
        #     - 192.168.0.1
        #   cmd: bin/jobs

      # kamal-proxy routes requests for this host name to the web containers and can get a TLS certificate for it.
      proxy:
        # ssl: true
        # host: app.example.com
        app_port: 3000

      # Where images are pushed and pulled. The password is the name of a secret in .kamal/secrets.
      registry:
        server: ghcr.io
        username: acme
        password:
          - KAMAL_REGISTRY_PASSWORD

      # How the image is built. Set arch to what your servers run.
      builder:
        arch: amd64

      # Environment of the app containers: clear values as written, secret ones by name from .kamal/secrets.
      # env:
      #   clear:
      #     DB_HOST: 192.168.0.2
      #   secret:
      #     - RAILS_MASTER_KEY

      # Shortcuts: \`sextant console\` runs the command the alias stands for; extra arguments are appended.
      # aliases:
      #   console: app exec --interactive --reuse "bin/console"
      #   logs: app logs -f

      # Directories on the host mounted into the app containers.
      # volumes:
      #   - "app_storage:/app/storage"

      # Login user on the servers (root by default).
      # ssh:
      #   user: app

      # Services the app needs (databases, caches), booted with \`sextant accessory boot\`.
      # accessories:
      #   db:
      #     image: postgres:16
      #     host: 192.168.0.2
      #     port: "127.0.0.1:5432:5432"
      #     env:
      #       secret:
      #         - POSTGRES_PASSWORD
      #     directories:
      #       - data:/var/lib/postgresql/data
      "
    `);
  });

  test("an empty directory keeps Kamal's placeholders", () => {
    expect(renderDeployYml(emptyDirectory)).toMatchInlineSnapshot(`
      "# yaml-language-server: $schema=../node_modules/sextant-deploy/docs/deploy.schema.json
      # Where and how to deploy this app. \`sextant docs\` explains every key; \`sextant config\` shows the result.

      # The service name prefixes container names (service-role-version), so keep it short and unique per server.
      service: my-app

      # The image name, without registry server or tag (the tag is the git commit, or --version).
      image: my-user/my-app

      # Hosts per role. The first role (web unless primary_role says otherwise) runs behind kamal-proxy.
      servers:
        web:
          - 192.168.0.1
        # job:
        #   hosts:
        #     - 192.168.0.1
        #   cmd: bin/jobs

      # kamal-proxy routes requests for this host name to the web containers and can get a TLS certificate for it.
      # proxy:
      #   ssl: true
      #   host: app.example.com
      #   app_port: 3000

      # Where images are pushed and pulled. The password is the name of a secret in .kamal/secrets.
      registry:
        # server: ghcr.io
        username: my-user
        password:
          - KAMAL_REGISTRY_PASSWORD

      # How the image is built. Set arch to what your servers run.
      builder:
        arch: amd64

      # Environment of the app containers: clear values as written, secret ones by name from .kamal/secrets.
      # env:
      #   clear:
      #     DB_HOST: 192.168.0.2
      #   secret:
      #     - RAILS_MASTER_KEY

      # Shortcuts: \`sextant console\` runs the command the alias stands for; extra arguments are appended.
      # aliases:
      #   console: app exec --interactive --reuse "bin/console"
      #   logs: app logs -f

      # Directories on the host mounted into the app containers.
      # volumes:
      #   - "app_storage:/app/storage"

      # Login user on the servers (root by default).
      # ssh:
      #   user: app

      # Services the app needs (databases, caches), booted with \`sextant accessory boot\`.
      # accessories:
      #   db:
      #     image: postgres:16
      #     host: 192.168.0.2
      #     port: "127.0.0.1:5432:5432"
      #     env:
      #       secret:
      #         - POSTGRES_PASSWORD
      #     directories:
      #       - data:/var/lib/postgresql/data
      "
    `);
  });

  test("both load as valid configs", async () => {
    for (const settings of [npmProject, emptyDirectory]) {
      const { config } = await loadConfigFromText({ yaml: renderDeployYml(settings), version: "1", secrets: { KAMAL_REGISTRY_PASSWORD: "x" } });
      expect(config.service).toBe(settings.service);
    }
  });
});

describe("renderSecrets", () => {
  test("says what the password is for ghcr.io", () => {
    expect(renderSecrets("ghcr.io")).toContain("# From the environment:\n# (for ghcr.io, a GitHub token with the write:packages scope)\n# KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
    expect(renderSecrets(undefined)).toContain("# From the environment:\n# KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
  });
});

describe("yamlScalar", () => {
  test("writes plain what YAML reads back as the same string, and quotes the rest", () => {
    expect(["shop", "acme/shop", "ghcr.io", "my_app-2"].map(yamlScalar)).toEqual(["shop", "acme/shop", "ghcr.io", "my_app-2"]);
    expect(["yes", "0755", "1e3", "null", "a b", "-x"].map(yamlScalar)).toEqual(['"yes"', '"0755"', '"1e3"', '"null"', '"a b"', '"-x"']);
    expect(yamlScalar(3000)).toBe("3000");
  });
});
