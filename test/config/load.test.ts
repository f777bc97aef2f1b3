import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { destinationFile, loadConfig, loadConfigFromText } from "../../src/config/load.ts";
import { ConfigError, SextantError } from "../../src/errors.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/deploy");
const env = { PATH: process.env.PATH, VERSION: "999" };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-load-"));
  dirs.push(dir);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

const BASE = `service: app
image: acme/app
servers:
  web:
    hosts:
      - 1.1.1.1
      - 1.1.1.2
registry:
  username: user
  password: pw
builder:
  arch: amd64
`;

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe("fixtures", () => {
  const cases = readdirSync(FIXTURES).flatMap((name) =>
    name === "with-destinations" ? [[name, "staging"], [name, "production"]] : [[name, undefined]]);

  test.each(cases)("%s (%s) loads", async (name, destination) => {
    const { config, warnings } = await loadConfig({ cwd: join(FIXTURES, name!), env, destination });
    expect(config.roles.length).toBeGreaterThan(0);
    expect(config.version).toBe("999");
    expect(warnings).toEqual([]);
  });

  test("with-destinations refuses to load without -d", async () => {
    const error = await configError(loadConfig({ cwd: join(FIXTURES, "with-destinations"), env }));
    expect(error.message).toContain("You must specify a destination");
  });

  test("the destination file replaces lists and merges mappings", async () => {
    const { config } = await loadConfig({ cwd: join(FIXTURES, "with-destinations"), env, destination: "production" });
    expect(config.roles.find((r) => r.name === "web")?.hosts).toEqual(["10.9.0.1", "10.9.0.3", "10.9.0.4"]);
    expect(config.raw.proxy).toEqual({ app_port: 3000, hosts: ["billing.example.com", "www.billing.example.com"] });
    expect(config.destination).toBe("production");
    expect(config.retainContainers).toBe(10);
  });

  test("with-erb renders from the environment", async () => {
    const { config } = await loadConfig({
      cwd: join(FIXTURES, "with-erb"),
      env: { ...env, WEB_HOSTS: "10.7.0.1, 10.7.0.2,10.7.0.3", WITH_WORKERS: "1", SERVICE_NAME: "board", BUILD_CHANNEL: "beta" },
    });
    expect(config.service).toBe("board");
    expect(config.roles.map((r) => [r.name, r.hosts])).toEqual([["web", ["10.7.0.1", "10.7.0.2", "10.7.0.3"]], ["workers", ["10.2.0.9"]]]);
    expect(config.builder.args).toEqual({ BUILD_CHANNEL: "beta" });
    expect(config.raw.env).toEqual({ clear: { RAILS_ENV: "production", FEATURES: "default" } });
  });

  test("secrets come from the app's .kamal/secrets", async () => {
    const { config } = await loadConfig({ cwd: join(FIXTURES, "single-role"), env });
    await config.secrets.load();
    expect(config.secrets.get("RAILS_MASTER_KEY").reveal()).toBe("0123456789abcdef0123456789abcdef");
  });
});

describe("files", () => {
  test("KAMAL_DESTINATION is set for ERB in both files", async () => {
    const cwd = app({
      "config/deploy.yml": `${BASE}labels:\n  dest: <%= ENV["KAMAL_DESTINATION"] %>\n`,
      "config/deploy.beta.yml": `env:\n  clear:\n    DEST: <%= ENV.fetch("KAMAL_DESTINATION") %>\n`,
    });
    const { config } = await loadConfig({ cwd, env: { ...env, KAMAL_DESTINATION: "stale" }, destination: "beta" });
    expect(config.labels).toEqual({ dest: "beta" });
    expect(config.env.clear).toEqual({ DEST: "beta" });
  });

  test("KAMAL_DESTINATION is unset without -d", async () => {
    const cwd = app({ "config/deploy.yml": `${BASE}labels:\n  dest: "<%= ENV["KAMAL_DESTINATION"].nil? %>"\n` });
    const { config } = await loadConfig({ cwd, env: { ...env, KAMAL_DESTINATION: "stale" } });
    expect(config.labels).toEqual({ dest: "true" });
  });

  test("variables a template loads with Dotenv.load reach the destination file, VERSION and the secrets", async () => {
    const cwd = app({
      ".env": "VERSION=from-dotenv\nREGISTRY_TOKEN=t0ken\nSTAGING_HOST=5.5.5.5\n",
      "config/deploy.yml": `<% require "dotenv"; Dotenv.load %>\n${BASE}`,
      "config/deploy.staging.yml": 'servers:\n  web:\n    hosts:\n      - <%= ENV.fetch("STAGING_HOST") %>\n',
      ".kamal/secrets.staging": "KAMAL_REGISTRY_PASSWORD=$REGISTRY_TOKEN\n",
    });
    const { config, env: after } = await loadConfig({ cwd, env: { PATH: process.env.PATH }, destination: "staging" });
    expect(config.roles[0]?.hosts).toEqual(["5.5.5.5"]);
    expect([after.KAMAL_DESTINATION, after.STAGING_HOST]).toEqual(["staging", "5.5.5.5"]);
    expect(config.version).toBe("from-dotenv");
    await config.secrets.load();
    expect(config.secrets.get("KAMAL_REGISTRY_PASSWORD").reveal()).toBe("t0ken");
  });

  test("-c config/foo.yml -d x reads config/foo.x.yml", async () => {
    const cwd = app({ "config/foo.yml": BASE, "config/foo.x.yml": "servers:\n  web:\n    hosts:\n      - 9.9.9.9\n" });
    const { config } = await loadConfig({ cwd, env, configFile: "config/foo.yml", destination: "x" });
    expect(config.roles[0]?.hosts).toEqual(["9.9.9.9"]);
    expect(destinationFile("config/foo.yml", "x")).toBe("config/foo.x.yml");
    expect(destinationFile("deploy", "x")).toBe("deploy.x.yml");
  });

  test("a missing config file names its absolute path and suggests init", async () => {
    const cwd = app({});
    const error = await configError(loadConfig({ cwd, env }));
    expect(error.message).toBe(
      `config/deploy.yml: Configuration file not found in ${cwd}/config/deploy.yml\n  fix: run \`sextant init\` to create one, or pass -c PATH`,
    );
    expect(error.exitCode).toBe(2);
  });

  test("a missing destination file lists the destinations that exist", async () => {
    const cwd = app({ "config/deploy.yml": BASE, "config/deploy.staging.yml": "", "config/deploy.production.yml": "" });
    const error = await configError(loadConfig({ cwd, env, destination: "prod" }));
    expect(error.message).toBe(
      `config/deploy.prod.yml: Configuration file not found in ${cwd}/config/deploy.prod.yml\n` +
      "  fix: create config/deploy.prod.yml or check -d prod (destinations found: production, staging)",
    );
  });

  test("an empty destination file changes nothing", async () => {
    const cwd = app({ "config/deploy.yml": BASE, "config/deploy.staging.yml": "# nothing differs yet\n" });
    const { config } = await loadConfig({ cwd, env, destination: "staging" });
    expect(config.roles[0]?.hosts).toEqual(["1.1.1.1", "1.1.1.2"]);
  });

  test("a top level that is not a mapping is an issue", async () => {
    const cwd = app({ "config/deploy.yml": "- service: app\n" });
    const error = await configError(loadConfig({ cwd, env }));
    expect(error.issues).toEqual([{
      file: "config/deploy.yml", path: "", line: 1, column: 1,
      message: "should be a hash of settings (service:, image:, servers:, ...)",
      fix: "write the settings as `key: value` lines at the start of the line",
    }]);
  });

  test("a YAML error after ERB points at the template's line", async () => {
    const cwd = app({
      "config/deploy.yml": `<% if true -%>\n<% end -%>\n<%# two lines gone above %>\n${BASE}proxy:\n\thost: x\n`,
    });
    const error = await configError(loadConfig({ cwd, env }));
    expect(error.issues.map((i) => [i.file, i.line, i.column, i.message])).toEqual([
      ["config/deploy.yml", 17, 1, "invalid YAML: Tabs are not allowed as indentation"],
    ]);
  });

  test("a config problem after ERB removed lines points at the template's line", async () => {
    const cwd = app({ "config/deploy.yml": `<% if ENV["UNSET"] -%>\nminimum_version: 99\n<% end -%>\n${BASE}retain_containers: 0\n` });
    const error = await configError(loadConfig({ cwd, env }));
    expect(error.issues.map((i) => [i.file, i.line])).toEqual([["config/deploy.yml", 16]]);
  });

  test("a YAML error on a line with an inserted value blames the tag", async () => {
    const cwd = app({ "config/deploy.yml": `${BASE}labels:\n  owner: <%= ENV["OWNER"] %>\n` });
    const error = await configError(loadConfig({ cwd, env: { ...env, OWNER: "@ops" } }));
    expect(error.message).toBe(
      "config/deploy.yml:14:10: invalid YAML: Plain value cannot start with reserved character @\n" +
      '  fix: the value <%= ENV["OWNER"] %> inserts is not valid YAML here: put quotes around the tag ("<%= ENV["OWNER"] %>") or make the value YAML-safe',
    );
  });

  test("a problem in a key the destination file sets is reported in that file", async () => {
    const cwd = app({ "config/deploy.yml": BASE, "config/deploy.staging.yml": "\nretain_containers: 0\n" });
    const error = await configError(loadConfig({ cwd, env, destination: "staging" }));
    expect(error.issues.map((i) => [i.file, i.line])).toEqual([["config/deploy.staging.yml", 2]]);
  });

  test("renamed Traefik hooks in the hooks directory are reported", async () => {
    const cwd = app({ "config/deploy.yml": BASE, ".kamal/hooks/pre-traefik-reboot": "#!/bin/sh\n" });
    const error = await configError(loadConfig({ cwd, env }));
    expect(error.message).toContain("pre-traefik-reboot");
  });
});

describe("version", () => {
  test("--version wins over VERSION", async () => {
    const { config } = await loadConfig({ cwd: app({ "config/deploy.yml": BASE }), env, version: "v7" });
    expect(config.version).toBe("v7");
  });

  test("outside git the config loads and reading the version explains why there is none", async () => {
    const cwd = app({ "config/deploy.yml": BASE });
    const { config } = await loadConfig({ cwd, env: { PATH: process.env.PATH, GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(config.service).toBe("app");
    expect(() => config.version).toThrow(SextantError);
    expect(() => config.version).toThrow(`Can't use commit hash as version, no git repository found in ${cwd}`);
  });
});

describe("loadConfigFromText", () => {
  test("renders, merges and resolves in memory", async () => {
    const { config } = await loadConfigFromText({
      yaml: `${BASE}env:\n  secret:\n    - DB_PASSWORD\n`,
      destinationYaml: 'servers:\n  web:\n    hosts:\n      - <%= ENV["KAMAL_DESTINATION"] %>.example.com\n',
      destination: "staging",
      version: "123",
      secrets: { DB_PASSWORD: "s3cret" },
    });
    expect(config.roles[0]?.hosts).toEqual(["staging.example.com"]);
    expect(config.version).toBe("123");
    expect(config.secrets.get("DB_PASSWORD").reveal()).toBe("s3cret");
  });

  test("issues carry the in-memory file names and lines", async () => {
    const error = await configError(loadConfigFromText({ yaml: `${BASE}retain_containers: 0\n`, version: "1" }));
    expect(error.issues.map((i) => [i.file, i.line])).toEqual([["config/deploy.yml", 13]]);
  });
});
