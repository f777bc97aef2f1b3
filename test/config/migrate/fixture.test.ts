import { resolve } from "node:path";
import { expect, test } from "vitest";
import { loadConfigFromText } from "../../../src/config/load.ts";
import { unifiedDiff } from "../../../src/config/migrate/diff.ts";
import { migrate } from "../../../src/config/migrate/migrate.ts";
import { readProject } from "../../../src/config/migrate/project.ts";

// A Kamal 1 app written the way Kamal 1's `kamal init` template and docs wrote one: Traefik labels with a Let's
// Encrypt resolver, Traefik args, a custom healthcheck, a native builder, a staging destination and .env.erb.
const APP = resolve(import.meta.dirname, "../../../fixtures/kamal1-app");

test("migrates the Kamal 1 fixture app, destination and secrets included, into config the loader accepts", async () => {
  const migration = migrate(readProject({ cwd: APP, configFile: "config/deploy.yml", destination: undefined, localArch: "amd64" }));
  expect(migration.files.map((file) => unifiedDiff(file.path, file.before, file.after)).join("")).toMatchInlineSnapshot(`
    "--- a/config/deploy.yml
    +++ b/config/deploy.yml
    @@ -9,10 +9,11 @@
       web:
         hosts:
           - 192.168.0.1
    -    labels:
    -      traefik.http.routers.hey.rule: Host(\`hey.example.com\`) || Host(\`www.hey.example.com\`)
    -      traefik.http.routers.hey.entrypoints: websecure
    -      traefik.http.routers.hey.tls.certresolver: letsencrypt
    +    proxy:
    +      hosts:
    +        - hey.example.com
    +        - www.hey.example.com
    +      ssl: true
         options:
           network: "private"
       job:
    @@ -19,7 +20,7 @@
         hosts:
           - 192.168.0.1
         cmd: bin/jobs
    -    traefik: false
    +    proxy: false
     
     # Credentials for your image host.
     registry:
    @@ -44,33 +45,22 @@
     
     # Configure builder setup.
     builder:
    -  multiarch: false
    +  arch: amd64
       args:
         RUBY_VERSION: 3.3.0
     
     # Configure custom arguments for Traefik
    -traefik:
    -  options:
    -    publish:
    -      - "443:443"
    -    volume:
    -      - "/letsencrypt/acme.json:/letsencrypt/acme.json"
    -  args:
    -    entryPoints.web.address: ":80"
    -    entryPoints.websecure.address: ":443"
    -    certificatesResolvers.letsencrypt.acme.email: "ops@example.com"
    -    certificatesResolvers.letsencrypt.acme.httpchallenge.entrypoint: web
    +proxy:
    +  app_port: 4000
    +  healthcheck:
    +    path: /healthz
    +    interval: 20
    +deploy_timeout: 300
     
     # Configure a custom healthcheck (default is /up on port 3000)
    -healthcheck:
    -  path: /healthz
    -  port: 4000
    -  max_attempts: 15
    -  interval: 20s
    -
     # Bridge fingerprinted assets, like JS and CSS, between versions to avoid
     # hitting 404 on in-flight requests. Combines all files from new and old
     # version inside the asset_path.
     asset_path: /rails/public/assets
     
    -stop_wait_time: 60
    +drain_timeout: 60
    --- a/config/deploy.staging.yml
    +++ b/config/deploy.staging.yml
    @@ -2,9 +2,10 @@
       web:
         hosts:
           - <%= ENV.fetch("STAGING_HOST", "192.168.1.1") %>
    -    labels:
    -      traefik.http.routers.hey.rule: Host(\`staging.hey.example.com\`)
    -      traefik.http.routers.hey.tls.certresolver: letsencrypt
    +    proxy:
    +      hosts:
    +        - staging.hey.example.com
    +      ssl: true
     
     env:
       clear:
    --- /dev/null
    +++ b/.kamal/secrets
    @@ -0,0 +1,3 @@
    +# Migrated from .env.erb by \`sextant config migrate\`
    +KAMAL_REGISTRY_PASSWORD=$(gh config get -h github.com oauth_token)
    +RAILS_MASTER_KEY=$(cat config/master.key)
    --- /dev/null
    +++ b/.kamal/secrets.staging
    @@ -0,0 +1,3 @@
    +# Migrated from .env.staging and .env.erb by \`sextant config migrate\`
    +KAMAL_REGISTRY_PASSWORD=$(gh config get -h github.com oauth_token)
    +RAILS_MASTER_KEY=$(op read "op://Staging/Hey/RAILS_MASTER_KEY" -n)
    "
  `);
  expect(migration.notes.map((note) => `${note.file}: ${note.path}: ${note.message}`)).toMatchInlineSnapshot(`
    [
      "config/deploy.yml: traefik/options: Traefik's options { publish: ["443:443"], volume: ["/letsencrypt/acme.json:/letsencrypt/acme.json"] } has no kamal-proxy equivalent; removed",
      "config/deploy.yml: traefik/args/entryPoints.web.address: (:80) configured Traefik; kamal-proxy has no equivalent; removed",
      "config/deploy.yml: traefik/args/entryPoints.websecure.address: (:443) configured Traefik; kamal-proxy has no equivalent; removed",
      "config/deploy.yml: traefik/args/certificatesResolvers.letsencrypt.acme.email: (ops@example.com) configured Traefik; kamal-proxy has no equivalent; removed",
      "config/deploy.yml: traefik/args/certificatesResolvers.letsencrypt.acme.httpchallenge.entrypoint: (web) configured Traefik; kamal-proxy has no equivalent; removed",
      "config/deploy.yml: servers/web/labels/traefik.http.routers.hey.entrypoints: only wired the container into Traefik; kamal-proxy needs no equivalent; removed",
    ]
  `);

  const after = (path: string) => migration.files.find((file) => file.path === path)?.after;
  const secrets = { KAMAL_REGISTRY_PASSWORD: "pw", RAILS_MASTER_KEY: "key" };
  const production = await loadConfigFromText({ yaml: after("config/deploy.yml")!, version: "1", secrets });
  expect(production.config.roles.map((role) => [role.name, role.proxy?.hosts, role.proxy?.ssl, role.proxy?.appPort])).toEqual([
    ["web", ["hey.example.com", "www.hey.example.com"], true, 4000],
    ["job", undefined, undefined, undefined],
  ]);
  const staging = await loadConfigFromText({ yaml: after("config/deploy.yml")!, destinationYaml: after("config/deploy.staging.yml"), destination: "staging", version: "1", secrets });
  expect(staging.config.roles[0]?.proxy?.hosts).toEqual(["staging.hey.example.com"]);
});
