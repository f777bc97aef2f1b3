import { describe, expect, test } from "vitest";
import { loadConfigFromText } from "../../../src/config/load.ts";
import { migrate, type MigrateInput } from "../../../src/config/migrate/migrate.ts";

const KAMAL1 = `service: app
image: app
servers:
  - 1.1.1.1
registry:
  username: user
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
`;

function migrateYaml(yaml: string, input: Partial<MigrateInput> = {}) {
  const result = migrate({ configs: [{ path: "config/deploy.yml", text: yaml }], envFiles: [], existingSecrets: new Map(), localArch: "arm64", ...input });
  const after = result.files.find((file) => file.path === "config/deploy.yml")?.after ?? yaml;
  return { yaml: after, notes: result.notes.map((note) => `${note.file}: ${note.path}: ${note.message}`) };
}

/** The migrated config passes sextant's loader, which checks what Kamal 2 checks. */
async function expectValid(yaml: string, env: Record<string, string> = {}) {
  const loaded = await loadConfigFromText({ yaml, version: "1", secrets: { KAMAL_REGISTRY_PASSWORD: "pw", RAILS_MASTER_KEY: "key" }, env });
  expect(loaded.warnings).toEqual([]);
  return loaded.config;
}

describe("Traefik labels", () => {
  test("Host rules joined by || become proxy.hosts, and the app keeps Kamal 1's port 3000", async () => {
    const { yaml, notes } = migrateYaml(`${KAMAL1}labels:
  traefik.http.routers.app.rule: Host(\`app.example.com\`) || Host(\`www.app.example.com\`)
  traefik.http.routers.app.entrypoints: web
`);
    expect(yaml).toMatchInlineSnapshot(`
      "service: app
      image: app
      servers:
        - 1.1.1.1
      proxy:
        hosts:
          - app.example.com
          - www.app.example.com
        app_port: 3000
      registry:
        username: user
        password:
          - KAMAL_REGISTRY_PASSWORD
      builder:
        arch: amd64
      "
    `);
    expect(notes).toMatchInlineSnapshot(`
      [
        "config/deploy.yml: labels/traefik.http.routers.app.entrypoints: only wired the container into Traefik; kamal-proxy needs no equivalent; removed",
      ]
    `);
    await expectValid(yaml);
  });

  test("one Host becomes proxy.host, a PathPrefix path_prefix (not stripped, as Traefik passed it on), a certresolver ssl", async () => {
    const { yaml } = migrateYaml(`${KAMAL1.replace("servers:\n  - 1.1.1.1", `servers:
  web:
    hosts:
      - 1.1.1.1
    labels:
      traefik.http.routers.app-web.rule: Host(\`app.example.com\`) && PathPrefix(\`/api\`)
      traefik.http.routers.app-web.tls.certresolver: letsencrypt
      traefik.http.routers.app-web.tls: true
      my-label: kept`)}`);
    expect(yaml).toMatchInlineSnapshot(`
      "service: app
      image: app
      servers:
        web:
          hosts:
            - 1.1.1.1
          labels:
            my-label: kept
          proxy:
            host: app.example.com
            ssl: true
            path_prefix: /api
            strip_path_prefix: false
      proxy:
        app_port: 3000
      registry:
        username: user
        password:
          - KAMAL_REGISTRY_PASSWORD
      builder:
        arch: amd64
      "
    `);
    const config = await expectValid(yaml);
    expect(config.roles[0]?.proxy).toMatchObject({ hosts: ["app.example.com"], ssl: true, pathPrefixes: ["/api"], appPort: 3000 });
  });

  test("middlewares and rules kamal-proxy cannot express are noted, never dropped silently", async () => {
    const { yaml, notes } = migrateYaml(`${KAMAL1}labels:
  traefik.http.routers.app.rule: HostRegexp(\`{sub:[a-z]+}.example.com\`)
  traefik.http.routers.app.middlewares: app-auth
  traefik.http.middlewares.app-auth.basicauth.users: "admin:$$apr1$$xyz"
`);
    expect(notes).toMatchInlineSnapshot(`
      [
        "config/deploy.yml: labels/traefik.http.routers.app.rule: the rule HostRegexp(\`{sub:[a-z]+}.example.com\`) has no kamal-proxy equivalent (it routes by host and path prefix only); removed",
        "config/deploy.yml: labels/traefik.http.routers.app.middlewares: (app-auth) has no kamal-proxy equivalent; removed",
        "config/deploy.yml: labels/traefik.http.middlewares.app-auth.basicauth.users: (admin:$$apr1$$xyz) has no kamal-proxy equivalent; removed",
      ]
    `);
    await expectValid(yaml);
  });
});

describe("roles", () => {
  test("traefik: false becomes proxy: false and traefik: true proxy: true", async () => {
    const { yaml } = migrateYaml(`${KAMAL1.replace("servers:\n  - 1.1.1.1", `servers:
  web:
    - 1.1.1.1
  api:
    hosts:
      - 1.1.1.2
    traefik: true
  job:
    hosts:
      - 1.1.1.3
    cmd: bin/jobs
    traefik: false`)}`);
    expect(yaml).toMatchInlineSnapshot(`
      "service: app
      image: app
      servers:
        web:
          - 1.1.1.1
        api:
          hosts:
            - 1.1.1.2
          proxy: true
        job:
          hosts:
            - 1.1.1.3
          cmd: bin/jobs
          proxy: false
      proxy:
        app_port: 3000
      registry:
        username: user
        password:
          - KAMAL_REGISTRY_PASSWORD
      builder:
        arch: amd64
      "
    `);
    const config = await expectValid(yaml);
    expect(config.roles.map((role) => [role.name, role.proxy !== undefined])).toEqual([["web", true], ["api", true], ["job", false]]);
  });

  test("ssl is left off, with a note, for a role on several hosts (kamal-proxy's certificates need one)", () => {
    const { yaml, notes } = migrateYaml(`${KAMAL1.replace("  - 1.1.1.1", "  - 1.1.1.1\n  - 1.1.1.2")}labels:
  traefik.http.routers.app.rule: Host(\`app.example.com\`)
  traefik.http.routers.app.tls.certresolver: letsencrypt
`);
    expect(yaml).not.toContain("ssl");
    expect(notes).toMatchInlineSnapshot(`
      [
        "config/deploy.yml: proxy/ssl: Traefik got a certificate on each host; kamal-proxy's automatic TLS needs a role on one host, and role web has several. Terminate TLS on a load balancer, or set ssl: true after moving the role to one host",
      ]
    `);
  });

  test("primary_web_role becomes primary_role", async () => {
    const { yaml } = migrateYaml(`${KAMAL1.replace("servers:\n  - 1.1.1.1", "servers:\n  app:\n    - 1.1.1.1")}primary_web_role: app\n`);
    expect(yaml).toContain("primary_role: app\n");
    const config = await expectValid(yaml);
    expect(config.roles.find((role) => role.name === "app")?.proxy).toBeDefined();
  });
});

describe("healthcheck", () => {
  test("path and interval go to proxy.healthcheck, port to app_port, interval × attempts to deploy_timeout", async () => {
    const { yaml, notes } = migrateYaml(`${KAMAL1}
# Configure a custom healthcheck
healthcheck:
  path: /healthz
  port: 4000
  interval: 10s
  max_attempts: 5
  cord: /tmp/cord
`);
    expect(yaml).toMatchInlineSnapshot(`
      "service: app
      image: app
      servers:
        - 1.1.1.1
      registry:
        username: user
        password:
          - KAMAL_REGISTRY_PASSWORD
      builder:
        arch: amd64

      # Configure a custom healthcheck
      proxy:
        app_port: 4000
        healthcheck:
          path: /healthz
          interval: 10
      deploy_timeout: 50
      "
    `);
    expect(notes).toMatchInlineSnapshot(`
      [
        "config/deploy.yml: healthcheck/cord: kamal-proxy drains old containers itself; the cord file is gone; removed",
      ]
    `);
    await expectValid(yaml);
  });

  test("Kamal 1's defaults: 7 attempts, 1s apart, polled 1 + 2 + … + 7 s = 28 s", () => {
    const { yaml } = migrateYaml(`${KAMAL1}healthcheck:\n  max_attempts: 7\n`);
    expect(yaml).toContain("deploy_timeout: 28\n");
  });
});

describe("builder", () => {
  const builder = (section: string) => migrateYaml(`${KAMAL1.replace("builder:\n  arch: amd64\n", section)}`);

  test.each([
    ["no builder: Kamal 1 built both arches", "", "builder:\n  arch:\n    - amd64\n    - arm64\n"],
    ["multiarch: false built for this machine", "builder:\n  multiarch: false\n", "builder:\n  arch: arm64\n"],
    ["local.arch alone", "builder:\n  local:\n    arch: amd64\n    host: unix:///var/run/docker.sock\n", "builder:\n  arch: amd64\n"],
    ["remote only built everything remotely", "builder:\n  remote:\n    arch: amd64\n    host: ssh://app@1.1.1.5\n", "builder:\n  arch: amd64\n  remote: ssh://app@1.1.1.5\n  local: false\n"],
    ["local and remote", "builder:\n  local:\n    arch: arm64\n  remote:\n    arch: amd64\n    host: ssh://root@192.168.0.1\n  cache:\n    type: gha\n", "builder:\n  arch:\n    - arm64\n    - amd64\n  remote: ssh://root@192.168.0.1\n  cache:\n    type: gha\n"],
  ])("%s", async (_name, section, expected) => {
    const { yaml } = builder(section);
    expect(yaml.slice(yaml.indexOf("builder:"))).toBe(expected.includes("builder:") ? expected : expected);
    await expectValid(yaml);
  });
});

describe("ERB and formatting", () => {
  test("keeps ERB tags, comments, quoting and key order", async () => {
    const { yaml } = migrateYaml(`# The app
service: app
image: "app"
servers:
  web:
    - <%= ENV.fetch("WEB_HOST", "1.1.1.1") %>
<% if ENV["WITH_JOBS"] %>
  job:
    hosts:
      - <%= ENV["JOB_HOST"] %>
    cmd: bin/jobs # the queue
    traefik: false
<% end %>
registry:
  username: user
  password: [KAMAL_REGISTRY_PASSWORD]
labels:
  traefik.http.routers.app.rule: Host(\`<%= ENV.fetch("APP_HOST", "app.example.com") %>\`)
builder:
  arch: amd64
`);
    expect(yaml).toMatchInlineSnapshot(`
      "# The app
      service: app
      image: "app"
      servers:
        web:
          - <%= ENV.fetch("WEB_HOST", "1.1.1.1") %>
        <% if ENV["WITH_JOBS"] %>
        job:
          hosts:
            - <%= ENV["JOB_HOST"] %>
          cmd: bin/jobs # the queue
          proxy: false
      <% end %>
      proxy:
        host: <%= ENV.fetch("APP_HOST", "app.example.com") %>
        app_port: 3000
      registry:
        username: user
        password: [KAMAL_REGISTRY_PASSWORD]
      builder:
        arch: amd64
      "
    `);
    const config = await expectValid(yaml, { WITH_JOBS: "1", JOB_HOST: "1.1.1.3" });
    expect(config.roles.find((role) => role.name === "web")?.proxy?.hosts).toEqual(["app.example.com"]);
    // The proxy landed outside the `<% if %>` block: without WITH_JOBS the web role is still routed.
    const withoutJobs = await expectValid(yaml);
    expect(withoutJobs.roles.map((role) => [role.name, role.proxy?.hosts])).toEqual([["web", ["app.example.com"]]]);
  });

  test("a Kamal 2 config is left as it is", () => {
    const result = migrate({ configs: [{ path: "config/deploy.yml", text: `${KAMAL1}proxy:\n  host: app.example.com\n` }], envFiles: [], existingSecrets: new Map(), localArch: "amd64" });
    expect(result).toEqual({ files: [], notes: [] });
  });
});

describe("deep nesting", () => {
  test("past 200 levels the file is refused at the first level too deep, before its recursion nears the end of the stack", () => {
    const deep = `${KAMAL1}x-deep: ${"[".repeat(1000)}${"]".repeat(1000)}\n`;
    expect(() => migrateYaml(deep)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: config/deploy.yml:11:208: is nested deeper than \`sextant config migrate\` reads (200 levels)
        fix: a Kamal 1 config nests a few levels deep: check the brackets and the indentation there]
    `);
  });

  test("200 levels are migrated", () => {
    const deep = `${KAMAL1}x-deep: ${"[".repeat(199)}${"]".repeat(199)}\n`;
    expect(migrateYaml(deep).yaml).toContain(`x-deep: ${"[".repeat(199)}`);
  });
});
