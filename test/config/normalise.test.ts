import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { envFor, resolveEnv } from "../../src/config/env.ts";
import { loadConfig } from "../../src/config/load.ts";
import { memorySecretStore } from "../../src/config/memory-secrets.ts";
import type { Config } from "../../src/config/model.ts";
import { configFromYaml } from "../support/config.ts";

const BASE = `service: app
image: dhh/app
registry: { server: registry.example.com, username: u, password: [REGISTRY_PASSWORD] }
builder: { arch: amd64 }
`;
const config = (yaml: string, destination?: string) => configFromYaml(BASE + yaml, destination ? { destination } : {});
const role = (c: Config, name: string) => {
  const found = c.roles.find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
};

describe("roles", () => {
  test("the list form is one role, web", () => {
    const c = config("servers: [1.1.1.1, 1.1.1.2]\n");
    expect(c.roles.map((r) => [r.name, r.hosts, r.primary, r.containerPrefix])).toEqual([["web", ["1.1.1.1", "1.1.1.2"], true, "app-web"]]);
  });

  test("the primary role comes first, the others by name", () => {
    const c = config("servers:\n  workers: [1.1.1.3]\n  api: [1.1.1.2]\n  web: [1.1.1.1]\nprimary_role: workers\n");
    expect(c.roles.map((r) => r.name)).toEqual(["workers", "api", "web"]);
  });

  test("hosts keep their tags; numbers are host names too", () => {
    const c = config("servers:\n  - 1.1.1.1\n  - 1.1.1.2: canary\n  - 1.1.1.3: [canary, eu]\n");
    expect(role(c, "web").tags).toEqual({ "1.1.1.1": [], "1.1.1.2": ["canary"], "1.1.1.3": ["canary", "eu"] });
  });

  test("the container prefix carries the destination", () => {
    expect(role(config("servers: [1.1.1.1]\n", "staging"), "web").containerPrefix).toBe("app-web-staging");
  });

  test("labels, logging and stop timeout inherit from the root", () => {
    const c = config(`labels: { team: a, tier: x }
logging: { driver: json-file, options: { max-size: 10m, max-file: 3 } }
stop_timeout: 20
servers:
  web:
    hosts: [1.1.1.1]
    labels: { tier: web }
    logging: { options: { max-size: 50m } }
  jobs:
    hosts: [1.1.1.2]
    stop_timeout: 60
`);
    expect(role(c, "web").labels).toEqual({ team: "a", tier: "web" });
    expect(role(c, "web").logging).toEqual({ driver: "json-file", options: { "max-size": "50m", "max-file": 3 } });
    expect([role(c, "web").stopTimeout, role(c, "jobs").stopTimeout]).toEqual([20, 60]);
  });
});

describe("proxy per role", () => {
  const c = config(`proxy: { host: a.example.com, app_port: 3000, healthcheck: { path: /health } }
servers:
  web: [1.1.1.1]
  api:
    hosts: [1.1.1.2]
    proxy: { host: api.example.com, healthcheck: { interval: 2 } }
  jobs: [1.1.1.3]
  admin:
    hosts: [1.1.1.4]
    proxy: true
`);

  test("the primary role runs the proxy with the root settings", () => {
    expect(role(c, "web").proxy).toMatchObject({ hosts: ["a.example.com"], appPort: 3000, healthcheck: { path: "/health" } });
  });

  test("a role's proxy hash is deep-merged over the root proxy", () => {
    expect(role(c, "api").proxy).toMatchObject({ hosts: ["api.example.com"], appPort: 3000, healthcheck: { path: "/health", interval: 2 } });
  });

  test("other roles run no proxy unless they ask", () => {
    expect(role(c, "jobs").proxy).toBeUndefined();
    expect(role(c, "admin").proxy?.hosts).toEqual(["a.example.com"]);
  });

  test("proxy: false turns it off for the primary role", () => {
    expect(role(config("servers:\n  web:\n    hosts: [1.1.1.1]\n    proxy: false\n"), "web").proxy).toBeUndefined();
  });

  test("comma-separated host and path_prefix are split", () => {
    const proxy = role(config("proxy: { host: 'a.com,b.com', path_prefix: '/api,/auth' }\nservers: [1.1.1.1]\n"), "web").proxy;
    expect([proxy?.hosts, proxy?.pathPrefixes]).toEqual([["a.com", "b.com"], ["/api", "/auth"]]);
  });

  test("proxy.run gets Kamal's defaults", () => {
    const proxy = role(config("proxy: { run: { http_port: 8080 } }\nservers: [1.1.1.1]\n"), "web").proxy;
    expect(proxy?.run).toEqual({
      httpPort: 8080, httpsPort: 443, publish: true, bindIps: [], logMaxSize: "10m", metricsPort: undefined, debug: false,
      registry: undefined, repository: "basecamp/kamal-proxy", version: "v0.9.2", options: {},
    });
  });

  test("a certificate hash switches TLS on", () => {
    const proxy = role(config("proxy: { host: a.com, ssl: { certificate_pem: CERT, private_key_pem: KEY } }\nservers: [1.1.1.1]\n"), "web").proxy;
    expect([proxy?.ssl, proxy?.sslCertificatePem, proxy?.sslPrivateKeyPem]).toEqual([true, "CERT", "KEY"]);
  });
});

describe("env", () => {
  const c = config(`env:
  clear: { A: root, B: root }
  secret: [S1, DB:MAIN_DB]
  tags:
    canary: { B: canary }
    eu: { clear: { REGION: eu }, secret: [EU] }
servers:
  web:
    hosts: [1.1.1.1, 1.1.1.2: [eu, canary, unknown]]
    env: { clear: { A: web }, secret: [S2, S1] }
`);
  const web = role(c, "web");

  test("role env is merged over the root env", () => {
    expect(envFor(c, web, "1.1.1.1")).toEqual({ clear: { A: "web", B: "root" }, secrets: ["S1", "DB:MAIN_DB", "S2"] });
  });

  test("a host's tags apply in the host's tag order; unknown tags are ignored", () => {
    expect(envFor(c, web, "1.1.1.2")).toEqual({ clear: { A: "web", B: "canary", REGION: "eu" }, secrets: ["S1", "DB:MAIN_DB", "S2", "EU"] });
  });

  test("NAME:SECRET reads SECRET into NAME", () => {
    const secrets = memorySecretStore({ S1: "one", MAIN_DB: "db", S2: "two" });
    const resolved = resolveEnv(envFor(c, web, "1.1.1.1"), secrets);
    expect(resolved.secrets.map(([name, value]) => [name, value.reveal()])).toEqual([["S1", "one"], ["DB", "db"], ["S2", "two"]]);
  });
});

describe("accessories", () => {
  const c = config(`servers:
  web: [1.1.1.1, 1.1.1.2: db]
  jobs: [1.1.1.3: db]
accessories:
  mysql:
    image: mysql:8.0
    host: 1.1.1.5
    port: 3306
    files:
      - config/my.cnf:/etc/mysql/my.cnf
      - { local: secret.key, remote: /etc/secret.key, mode: "0600", owner: "mysql:mysql" }
    directories:
      - data:/var/lib/mysql:z
  cache:
    service: shared-cache
    image: redis
    roles: [web, jobs]
    registry: { server: other.registry, username: u, password: p }
    port: "127.0.0.1:6379:6379"
  tagged:
    image: busybox
    tag: db
    proxy: { host: t.example.com }
`);
  const accessory = (name: string) => c.accessories.find((a) => a.name === name);

  test("service, image, port and hosts", () => {
    expect(c.accessories.map((a) => [a.name, a.service, a.image, a.port, a.hosts])).toEqual([
      ["mysql", "app-mysql", "mysql:8.0", "3306:3306", ["1.1.1.5"]],
      ["cache", "shared-cache", "other.registry/redis", "127.0.0.1:6379:6379", ["1.1.1.1", "1.1.1.2", "1.1.1.3"]],
      ["tagged", "app-tagged", "busybox", undefined, ["1.1.1.2", "1.1.1.3"]],
    ]);
  });

  test("files and directories, from strings or hashes", () => {
    expect(accessory("mysql")?.files).toEqual([
      { local: "config/my.cnf", remote: "/etc/mysql/my.cnf", mode: "755", owner: undefined, options: undefined },
      { local: "secret.key", remote: "/etc/secret.key", mode: "0600", owner: "mysql:mysql", options: undefined },
    ]);
    expect(accessory("mysql")?.directories).toEqual([
      { local: "data", remote: "/var/lib/mysql", mode: undefined, owner: undefined, options: "z" },
    ]);
  });

  test("an accessory proxy is its own, not merged with the root proxy", () => {
    expect(accessory("tagged")?.proxy?.hosts).toEqual(["t.example.com"]);
    expect(accessory("mysql")?.proxy).toBeUndefined();
  });

  test("boot limit percentages count accessory hosts too", () => {
    const limited = config("servers: [1.1.1.1, 1.1.1.2, 1.1.1.3]\naccessories: { db: { image: x, hosts: [1.1.1.4, 1.1.1.5, 1.1.1.6] } }\nboot: { limit: 50% }\n");
    expect(limited.boot.limit).toBe(3);
    expect(config("servers: [1.1.1.1]\nboot: { limit: 10% }\n").boot.limit).toBe(1);
  });
});

describe("root settings", () => {
  test("defaults", () => {
    const c = config("servers: [1.1.1.1]\n");
    expect({
      repository: c.repository, ssh: c.ssh, sshkit: c.sshkit, boot: c.boot, hooksPath: c.hooksPath, secretsPath: c.secretsPath,
      retain: c.retainContainers, readiness: c.readinessDelay, deploy: c.deployTimeout, drain: c.drainTimeout,
    }).toEqual({
      repository: "registry.example.com/dhh/app",
      ssh: { user: "root", port: 22, proxy: undefined, proxyCommand: undefined, logLevel: "fatal", keysOnly: undefined, keys: undefined, keyData: undefined, config: true, forwardAgent: true },
      sshkit: { maxConcurrentStarts: 30, poolIdleTimeout: 900, dnsRetries: 3 },
      boot: { limit: undefined, wait: undefined, parallelRoles: false },
      hooksPath: ".kamal/hooks", secretsPath: ".kamal/secrets", retain: 5, readiness: 7, deploy: 30, drain: 30,
    });
  });

  test("registry credentials written as [NAME] are secrets read when revealed", () => {
    const c = configFromYaml(`${BASE}servers: [1.1.1.1]\n`, { secrets: { REGISTRY_PASSWORD: "hunter2" } });
    expect(String(c.registry.password)).toBe("[REDACTED]");
    expect(typeof c.registry.password === "object" && c.registry.password.reveal()).toBe("hunter2");
    expect(c.registry.username).toBe("u");
  });

  test("a local registry needs no image: the service name is used", () => {
    const c = configFromYaml("service: app\nregistry: { server: 'localhost:5555' }\nbuilder: { arch: amd64 }\nservers: [1.1.1.1]\n");
    expect([c.image, c.repository, c.registry.local, c.registry.localPort]).toEqual(["app", "localhost:5555/app", true, 5555]);
  });

  test("hooks_output accepts the :symbols Psych reads", () => {
    expect(config("servers: [1.1.1.1]\nhooks_output: { pre-deploy: :verbose, post-deploy: quiet }\n").hooksOutput).toEqual({
      "pre-deploy": "verbose",
      "post-deploy": "quiet",
    });
  });

  test("ssh config paths become a list; ssh port strings become numbers", () => {
    const c = config("servers: [1.1.1.1]\nssh: { config: ~/.ssh/other, port: '2222' }\n");
    expect([c.ssh.config, c.ssh.port]).toEqual([["~/.ssh/other"], 2222]);
  });

  test("builder arch is always a list", () => {
    expect(config("servers: [1.1.1.1]\n").builder.arch).toEqual(["amd64"]);
  });
});

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/deploy");

/** What a reader checks in a fixture: everything but the secret store and the raw YAML. */
function summary(c: Config) {
  const { secrets: _secrets, raw: _raw, ...rest } = c;
  return rest;
}

describe("fixtures normalise", () => {
  const load = async (name: string, destination?: string) =>
    summary((await loadConfig({ cwd: join(FIXTURES, name), env: { PATH: process.env.PATH, VERSION: "999" }, ...(destination ? { destination } : {}) })).config);

  test("the fixtures are the ones snapshotted here", () => {
    expect(readdirSync(FIXTURES).sort()).toEqual([
      "remote-multiarch-builder", "roles-with-tags", "single-role", "ssh-proxy", "with-accessories", "with-aliases", "with-destinations", "with-erb",
    ]);
  });

  test("roles-with-tags", async () => {
    expect(await load("roles-with-tags")).toMatchInlineSnapshot(`
      {
        "accessories": [],
        "aliases": {},
        "allowEmptyRoles": false,
        "assetPath": undefined,
        "boot": {
          "limit": 2,
          "parallelRoles": false,
          "wait": 2,
        },
        "builder": {
          "arch": [
            "amd64",
          ],
          "args": {},
          "cache": undefined,
          "context": undefined,
          "dockerfile": "Dockerfile",
          "driver": "docker-container",
          "local": true,
          "pack": undefined,
          "provenance": undefined,
          "remote": undefined,
          "sbom": undefined,
          "secrets": [],
          "ssh": undefined,
          "target": undefined,
        },
        "deployTimeout": 30,
        "destination": undefined,
        "drainTimeout": 30,
        "env": {
          "clear": {
            "APP_ENV": "production",
          },
          "secrets": [
            "DATABASE_URL",
          ],
        },
        "envTags": {
          "canary": {
            "clear": {
              "FEATURE_FLAGS": "all",
            },
            "secrets": [],
          },
          "eu": {
            "clear": {
              "REGION": "eu-west-1",
            },
            "secrets": [
              "EU_PAYMENT_KEY",
            ],
          },
        },
        "errorPagesPath": undefined,
        "files": [
          "config/deploy.yml",
        ],
        "hooksOutput": undefined,
        "hooksPath": ".kamal/hooks",
        "image": "acme/shop",
        "labels": {},
        "logging": {
          "driver": undefined,
          "options": {},
        },
        "minimumVersion": undefined,
        "output": {
          "file": undefined,
          "otel": undefined,
        },
        "primaryRole": "web",
        "readinessDelay": 7,
        "registry": {
          "local": false,
          "localPort": undefined,
          "password": "[REDACTED]",
          "server": undefined,
          "username": "acmebot",
        },
        "repository": "acme/shop",
        "requireDestination": false,
        "retainContainers": 5,
        "roles": [
          {
            "assetPath": undefined,
            "cmd": undefined,
            "containerPrefix": "shop-web",
            "env": {
              "clear": {
                "APP_ENV": "production",
              },
              "secrets": [
                "DATABASE_URL",
              ],
            },
            "hosts": [
              "10.0.1.11",
              "10.0.1.12",
            ],
            "labels": {},
            "logging": {
              "driver": undefined,
              "options": {},
            },
            "name": "web",
            "options": {
              "memory": "1g",
            },
            "primary": true,
            "proxy": {
              "appPort": 8080,
              "buffering": {},
              "forwardHeaders": undefined,
              "healthcheck": {},
              "hosts": [
                "shop.example.com",
              ],
              "logRequestHeaders": undefined,
              "logResponseHeaders": undefined,
              "pathPrefixes": [],
              "responseTimeout": undefined,
              "run": undefined,
              "ssl": false,
              "sslCertificatePem": undefined,
              "sslPrivateKeyPem": undefined,
              "sslRedirect": undefined,
              "stripPathPrefix": undefined,
            },
            "stopTimeout": undefined,
            "tags": {
              "10.0.1.11": [],
              "10.0.1.12": [
                "canary",
              ],
            },
          },
          {
            "assetPath": undefined,
            "cmd": "bin/jobs --queues default,mailers",
            "containerPrefix": "shop-workers",
            "env": {
              "clear": {
                "APP_ENV": "production",
                "JOB_CONCURRENCY": 5,
              },
              "secrets": [
                "DATABASE_URL",
              ],
            },
            "hosts": [
              "10.0.1.21",
              "10.0.1.22",
            ],
            "labels": {},
            "logging": {
              "driver": undefined,
              "options": {
                "max-size": "50m",
              },
            },
            "name": "workers",
            "options": {},
            "primary": false,
            "proxy": undefined,
            "stopTimeout": 60,
            "tags": {
              "10.0.1.21": [
                "eu",
                "highmem",
              ],
              "10.0.1.22": [
                "eu",
              ],
            },
          },
        ],
        "secretsPath": ".kamal/secrets",
        "service": "shop",
        "serviceWithDestination": "shop",
        "ssh": {
          "config": true,
          "forwardAgent": true,
          "keyData": undefined,
          "keys": undefined,
          "keysOnly": undefined,
          "logLevel": "fatal",
          "port": 22,
          "proxy": undefined,
          "proxyCommand": undefined,
          "user": "root",
        },
        "sshkit": {
          "dnsRetries": 3,
          "maxConcurrentStarts": 30,
          "poolIdleTimeout": 900,
        },
        "stopTimeout": undefined,
        "version": "999",
        "volumes": [],
      }
    `);
  });

  test("with-accessories", async () => {
    expect(await load("with-accessories")).toMatchInlineSnapshot(`
      {
        "accessories": [
          {
            "cmd": undefined,
            "directories": [
              {
                "local": "data",
                "mode": undefined,
                "options": undefined,
                "owner": undefined,
                "remote": "/var/lib/mysql",
              },
            ],
            "env": {
              "clear": {
                "MYSQL_DATABASE": "tracker",
                "MYSQL_ROOT_HOST": "%",
              },
              "secrets": [
                "MYSQL_ROOT_PASSWORD",
                "MYSQL_PASSWORD",
              ],
            },
            "files": [
              {
                "local": "config/mysql/init.sql",
                "mode": "755",
                "options": undefined,
                "owner": undefined,
                "remote": "/docker-entrypoint-initdb.d/init.sql",
              },
            ],
            "hosts": [
              "172.16.0.20",
            ],
            "image": "mysql:8.0",
            "labels": {},
            "name": "mysql",
            "network": "kamal",
            "options": {
              "memory": "2g",
            },
            "port": "127.0.0.1:3306:3306",
            "proxy": undefined,
            "registry": undefined,
            "service": "tracker-mysql",
            "volumes": [],
          },
          {
            "cmd": "redis-server --appendonly yes",
            "directories": [],
            "env": {
              "clear": {},
              "secrets": [],
            },
            "files": [],
            "hosts": [
              "172.16.0.10",
            ],
            "image": "redis:7",
            "labels": {},
            "name": "redis",
            "network": "kamal",
            "options": {},
            "port": "6379:6379",
            "proxy": undefined,
            "registry": undefined,
            "service": "tracker-redis",
            "volumes": [
              "/var/lib/redis:/data",
            ],
          },
        ],
        "aliases": {},
        "allowEmptyRoles": false,
        "assetPath": undefined,
        "boot": {
          "limit": undefined,
          "parallelRoles": false,
          "wait": undefined,
        },
        "builder": {
          "arch": [
            "amd64",
          ],
          "args": {},
          "cache": undefined,
          "context": undefined,
          "dockerfile": "Dockerfile",
          "driver": "docker-container",
          "local": true,
          "pack": undefined,
          "provenance": undefined,
          "remote": undefined,
          "sbom": undefined,
          "secrets": [],
          "ssh": undefined,
          "target": undefined,
        },
        "deployTimeout": 30,
        "destination": undefined,
        "drainTimeout": 30,
        "env": {
          "clear": {
            "DB_HOST": "tracker-mysql",
            "REDIS_URL": "redis://tracker-redis:6379/0",
          },
          "secrets": [
            "DB_PASSWORD:MYSQL_PASSWORD",
          ],
        },
        "envTags": {},
        "errorPagesPath": undefined,
        "files": [
          "config/deploy.yml",
        ],
        "hooksOutput": undefined,
        "hooksPath": ".kamal/hooks",
        "image": "acme/tracker",
        "labels": {},
        "logging": {
          "driver": undefined,
          "options": {},
        },
        "minimumVersion": undefined,
        "output": {
          "file": undefined,
          "otel": undefined,
        },
        "primaryRole": "web",
        "readinessDelay": 7,
        "registry": {
          "local": false,
          "localPort": undefined,
          "password": "[REDACTED]",
          "server": "registry.example.com",
          "username": "deploy",
        },
        "repository": "registry.example.com/acme/tracker",
        "requireDestination": false,
        "retainContainers": 5,
        "roles": [
          {
            "assetPath": undefined,
            "cmd": undefined,
            "containerPrefix": "tracker-web",
            "env": {
              "clear": {
                "DB_HOST": "tracker-mysql",
                "REDIS_URL": "redis://tracker-redis:6379/0",
              },
              "secrets": [
                "DB_PASSWORD:MYSQL_PASSWORD",
              ],
            },
            "hosts": [
              "172.16.0.10",
            ],
            "labels": {},
            "logging": {
              "driver": undefined,
              "options": {},
            },
            "name": "web",
            "options": {},
            "primary": true,
            "proxy": {
              "appPort": 80,
              "buffering": {},
              "forwardHeaders": undefined,
              "healthcheck": {},
              "hosts": [
                "tracker.example.com",
              ],
              "logRequestHeaders": undefined,
              "logResponseHeaders": undefined,
              "pathPrefixes": [],
              "responseTimeout": undefined,
              "run": undefined,
              "ssl": false,
              "sslCertificatePem": undefined,
              "sslPrivateKeyPem": undefined,
              "sslRedirect": undefined,
              "stripPathPrefix": undefined,
            },
            "stopTimeout": undefined,
            "tags": {
              "172.16.0.10": [],
            },
          },
          {
            "assetPath": undefined,
            "cmd": "bin/jobs",
            "containerPrefix": "tracker-jobs",
            "env": {
              "clear": {
                "DB_HOST": "tracker-mysql",
                "REDIS_URL": "redis://tracker-redis:6379/0",
              },
              "secrets": [
                "DB_PASSWORD:MYSQL_PASSWORD",
              ],
            },
            "hosts": [
              "172.16.0.11",
            ],
            "labels": {},
            "logging": {
              "driver": undefined,
              "options": {},
            },
            "name": "jobs",
            "options": {},
            "primary": false,
            "proxy": undefined,
            "stopTimeout": undefined,
            "tags": {
              "172.16.0.11": [],
            },
          },
        ],
        "secretsPath": ".kamal/secrets",
        "service": "tracker",
        "serviceWithDestination": "tracker",
        "ssh": {
          "config": true,
          "forwardAgent": true,
          "keyData": undefined,
          "keys": undefined,
          "keysOnly": undefined,
          "logLevel": "fatal",
          "port": 22,
          "proxy": undefined,
          "proxyCommand": undefined,
          "user": "root",
        },
        "sshkit": {
          "dnsRetries": 3,
          "maxConcurrentStarts": 30,
          "poolIdleTimeout": 900,
        },
        "stopTimeout": undefined,
        "version": "999",
        "volumes": [],
      }
    `);
  });

  test("with-destinations (staging)", async () => {
    expect(await load("with-destinations", "staging")).toMatchInlineSnapshot(`
      {
        "accessories": [],
        "aliases": {},
        "allowEmptyRoles": false,
        "assetPath": undefined,
        "boot": {
          "limit": undefined,
          "parallelRoles": false,
          "wait": undefined,
        },
        "builder": {
          "arch": [
            "amd64",
          ],
          "args": {},
          "cache": undefined,
          "context": undefined,
          "dockerfile": "Dockerfile",
          "driver": "docker-container",
          "local": true,
          "pack": undefined,
          "provenance": undefined,
          "remote": undefined,
          "sbom": undefined,
          "secrets": [],
          "ssh": undefined,
          "target": undefined,
        },
        "deployTimeout": 30,
        "destination": "staging",
        "drainTimeout": 30,
        "env": {
          "clear": {
            "LOG_LEVEL": "debug",
          },
          "secrets": [
            "RAILS_MASTER_KEY",
          ],
        },
        "envTags": {},
        "errorPagesPath": undefined,
        "files": [
          "config/deploy.yml",
          "config/deploy.staging.yml",
        ],
        "hooksOutput": undefined,
        "hooksPath": ".kamal/hooks",
        "image": "acme/billing",
        "labels": {},
        "logging": {
          "driver": undefined,
          "options": {},
        },
        "minimumVersion": undefined,
        "output": {
          "file": undefined,
          "otel": undefined,
        },
        "primaryRole": "web",
        "readinessDelay": 7,
        "registry": {
          "local": false,
          "localPort": undefined,
          "password": "[REDACTED]",
          "server": "registry.example.com",
          "username": "deploy",
        },
        "repository": "registry.example.com/acme/billing",
        "requireDestination": true,
        "retainContainers": 5,
        "roles": [
          {
            "assetPath": undefined,
            "cmd": undefined,
            "containerPrefix": "billing-web-staging",
            "env": {
              "clear": {
                "LOG_LEVEL": "debug",
              },
              "secrets": [
                "RAILS_MASTER_KEY",
              ],
            },
            "hosts": [
              "10.8.0.1",
            ],
            "labels": {},
            "logging": {
              "driver": undefined,
              "options": {},
            },
            "name": "web",
            "options": {},
            "primary": true,
            "proxy": {
              "appPort": 3000,
              "buffering": {},
              "forwardHeaders": undefined,
              "healthcheck": {},
              "hosts": [
                "billing.staging.example.com",
              ],
              "logRequestHeaders": undefined,
              "logResponseHeaders": undefined,
              "pathPrefixes": [],
              "responseTimeout": undefined,
              "run": undefined,
              "ssl": false,
              "sslCertificatePem": undefined,
              "sslPrivateKeyPem": undefined,
              "sslRedirect": undefined,
              "stripPathPrefix": undefined,
            },
            "stopTimeout": undefined,
            "tags": {
              "10.8.0.1": [],
            },
          },
          {
            "assetPath": undefined,
            "cmd": "bin/jobs",
            "containerPrefix": "billing-jobs-staging",
            "env": {
              "clear": {
                "LOG_LEVEL": "debug",
              },
              "secrets": [
                "RAILS_MASTER_KEY",
              ],
            },
            "hosts": [
              "10.8.0.2",
            ],
            "labels": {},
            "logging": {
              "driver": undefined,
              "options": {},
            },
            "name": "jobs",
            "options": {},
            "primary": false,
            "proxy": undefined,
            "stopTimeout": undefined,
            "tags": {
              "10.8.0.2": [],
            },
          },
        ],
        "secretsPath": ".kamal/secrets",
        "service": "billing",
        "serviceWithDestination": "billing-staging",
        "ssh": {
          "config": true,
          "forwardAgent": true,
          "keyData": undefined,
          "keys": undefined,
          "keysOnly": undefined,
          "logLevel": "fatal",
          "port": 22,
          "proxy": undefined,
          "proxyCommand": undefined,
          "user": "root",
        },
        "sshkit": {
          "dnsRetries": 3,
          "maxConcurrentStarts": 30,
          "poolIdleTimeout": 900,
        },
        "stopTimeout": undefined,
        "version": "999",
        "volumes": [],
      }
    `);
  });
});
