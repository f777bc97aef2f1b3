import { describe, expect, test } from "vitest";
import { resolveFromYaml } from "../support/config.ts";

// Every message a deploy.yml can get, with the line:column of the key it points at. Each snippet is added to a
// valid base (which lists `servers` unless the snippet does); later duplicate keys replace earlier ones.
const BASE = `service: app
image: dhh/app
registry: { username: u, password: p }
builder: { arch: amd64 }
`;

function issuesOf(snippet: string): string[] {
  const yaml = snippet.includes("servers:") ? BASE + snippet : `${BASE}servers: [1.1.1.1]\n${snippet}`;
  const result = resolveFromYaml(yaml);
  if (!("issues" in result)) return ["OK"];
  return result.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path ? `${issue.path}: ` : ""}${issue.message}`);
}

const CASES: [name: string, yaml: string, expected: string[]][] = [
  ["integer keys reject strings","stop_timeout: \"30\"",["6:1 stop_timeout: should be an integer"]],
  ["unknown root keys, x- keys allowed","foo: 1\nbar: 2\nx-anchor: &a 1",["6:1 unknown keys: foo, bar"]],
  ["role logging options must be a hash","servers:\n  web:\n    hosts: [1.1.1.1]\n    logging:\n      options: 1",["9:7 servers/web/logging/options: should be a hash"]],
  ["tag env secrets must be strings","env:\n  tags:\n    tag1:\n      secret: [{}]",["9:16 env/tags/tag1/secret/0: should be a string"]],
  ["server list entries","servers:\n  - 1.1.1.1: [a, {}]\n  - { 1.1.1.2: a, 1.1.1.3: b }\n  - [x]",["6:18 servers/0/1.1.1.1/1: should be a string","7:5 servers/1: multiple hosts found","8:5 servers/2: should be a string or a hash"]],
  ["servers must be a list or a hash","servers: 1.1.1.1",["5:1 servers: should be an array or a hash"]],
  ["a role must be a list or a hash","servers:\n  web: 1.1.1.1",["6:3 servers/web: should be an array or a hash"]],
  ["role tags only at the root; x- keys not nested","servers:\n  web:\n    hosts: [1.1.1.1]\n    env: { tags: { a: {} } }\n    x-foo: 1",["8:5 servers/web/env: tags are only allowed in the root env","9:5 servers/web: unknown key: x-foo"]],
  ["reserved role labels, restart type","servers:\n  web:\n    hosts: [1.1.1.1]\n    labels: { service: x, role: y }\n    options: { restart: 3 }",["8:15 servers/web/labels/service: invalid label. destination, role, and service are reserved labels","8:27 servers/web/labels/role: invalid label. destination, role, and service are reserved labels","9:16 servers/web/options/restart: should be a string. Use \"no\" to disable restarts"]],
  ["restart policy values","servers:\n  web:\n    hosts: [1.1.1.1]\n    options: { restart: sometimes }",["8:16 servers/web/options/restart: should be no, always, unless-stopped, on-failure, or on-failure:N"]],
  ["restart policy on-failure:N passes","servers:\n  web:\n    hosts: [1.1.1.1]\n    options: { restart: \"on-failure:3\" }",["OK"]],
  ["root proxy must be a hash","proxy: true",["6:1 proxy: should be a hash"]],
  ["role proxy must be a boolean or a hash","servers:\n  web:\n    hosts: [1.1.1.1]\n    proxy: yes-please",["8:5 servers/web/proxy: should be a boolean or a hash"]],
  ["proxy app_port is an integer","proxy: { host: a.example.com, app_port: \"3000\" }",["6:31 proxy/app_port: should be an integer"]],
  ["proxy ssl needs a host","proxy: { ssl: true }",["6:1 proxy: Must set a host to enable automatic SSL"]],
  ["proxy host and hosts","proxy: { host: a, hosts: [b] }",["6:1 proxy: Specify one of 'host' or 'hosts', not both"]],
  ["proxy certificate pair","proxy: { host: a, ssl: { certificate_pem: X } }",["6:1 proxy: Missing private_key_pem setting (required when certificate_pem is present)"]],
  ["proxy key pair","proxy: { host: a, ssl: { private_key_pem: X } }",["6:1 proxy: Missing certificate_pem setting (required when private_key_pem is present)"]],
  ["proxy ssl is a boolean or a hash","proxy: { host: a, ssl: \"yes\" }",["6:19 proxy/ssl: should be a boolean or a hash"]],
  ["proxy run publish false","proxy: { run: { publish: false, http_port: 8080 } }",["6:1 proxy: Cannot set http_port, https_port or bind_ips when publish is false"]],
  ["proxy nested unknown keys","proxy: { healthcheck: { path: /up, port: 3000 }, buffering: { requests: \"yes\" } }",["6:36 proxy/healthcheck: unknown key: port","6:63 proxy/buffering/requests: should be a boolean"]],
  ["registry password list of two","registry: { username: u, password: [a, b] }",["6:26 registry/password: should be a string or an array with one string (for secret lookup)"]],
  ["registry credentials required","registry: {}",["6:1 registry/username: is required","6:1 registry/password: is required"]],
  ["registry missing entirely is required credentials","registry: null",["6:1 registry: should be a hash"]],
  ["local registry needs no credentials","registry: { server: \"localhost:5000\" }",["OK"]],
  ["builder arch items and cache type","builder: { arch: [amd64, {}], cache: { type: s3 } }",["6:1 builder: Invalid cache type: s3","6:12 builder/arch: should be an array or a string"]],
  ["builder arch not set","builder: {}",["6:1 builder: Builder arch not set"]],
  ["builder pack arches and local false","builder: { arch: [amd64, arm64], pack: { builder: x }, local: false }",["6:1 builder: buildpacks only support building for one arch","6:1 builder: Cannot disable local builds, no remote is set"]],
  ["builder sbom is a boolean","builder: { arch: amd64, sbom: \"true\" }",["6:25 builder/sbom: should be a boolean"]],
  ["hooks_output levels","hooks_output: loud",["6:1 hooks_output: Invalid hooks_output 'loud', must be one of: quiet, verbose"]],
  ["hooks_output per hook: a Symbol is a level, the String \":quiet\" is not (Kamal: to_sym)","hooks_output: { pre-deploy: loud, post-build: :quiet, pre-build: \":quiet\" }",["6:17 hooks_output/pre-deploy: Invalid hooks_output 'loud' for hook 'pre-deploy', must be one of: quiet, verbose","6:55 hooks_output/pre-build: Invalid hooks_output ':quiet' for hook 'pre-build', must be one of: quiet, verbose"]],
  ["hooks_output type","hooks_output: [x]",["6:1 hooks_output: should be a string or a symbol"]],
  ["accessory host keys","accessories:\n  db: { image: x }\n  cache: { image: y, host: a, hosts: [b] }",["7:3 accessories/db: specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`","8:3 accessories/cache: specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`"]],
  ["accessory unknown roles","accessories:\n  redis: { image: r, roles: [web, nope, other] }\n  pg: { image: p, role: gone }",["7:22 accessories/redis/roles: unknown roles nope, other","8:19 accessories/pg/role: unknown role gone"]],
  ["accessory proxy, files","accessories:\n  db: { image: x, host: a, proxy: true, files: [1, [x], { local: a, foo: b }] }",["7:28 accessories/db/proxy: should be a hash","7:52 accessories/db/files/1: should be a string or a hash","7:69 accessories/db/files/2: unknown key: foo"]],
  ["accessory reserved labels","accessories:\n  db: { image: x, host: a, labels: { destination: x } }",["7:38 accessories/db/labels/destination: invalid label. destination, role, and service are reserved labels"]],
  ["alias names","aliases: { Foo: x, deploy: y, ok: z }",["6:12 aliases/Foo: Invalid alias name: 'Foo'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.","6:20 aliases/deploy: Alias 'deploy' conflicts with a built-in command."]],
  ["alias values","aliases: { ok: [z] }",["6:12 aliases/ok: should be a string"]],
  ["env values are strings","env: { A: [1], B: { c: 1 } }",["6:8 env/A: should be a string","6:16 env/B: should be a string"]],
  ["structured env allows only clear, secret, tags","env: { clear: { A: 1 }, secret: [B], C: 2, D: 3 }",["6:38 env: unknown keys: C, D"]],
  ["ssh config","ssh: { config: {}, port: 2222 }",["6:8 ssh/config: should be a boolean or a string or an array"]],
  ["Kamal 1 keys","traefik: { image: x }\nhealthcheck: { path: /up }\nprimary_web_role: web",["6:1 `traefik` is Kamal 1 configuration, which Kamal 2 no longer reads","7:1 `healthcheck` is Kamal 1 configuration, which Kamal 2 no longer reads","8:1 `primary_web_role` is Kamal 1 configuration, which Kamal 2 no longer reads"]],
  ["Kamal 1 builder","builder: { multiarch: false, remote: { arch: amd64, host: \"ssh://a\" } }",["6:12 builder: `multiarch` is Kamal 1 configuration, which Kamal 2 no longer reads","6:30 builder: `remote` is Kamal 1 configuration, which Kamal 2 no longer reads"]],
  ["Kamal 1 role traefik","servers:\n  web:\n    hosts: [1.1.1.1]\n    traefik: true",["8:5 servers/web: `traefik` is Kamal 1 configuration, which Kamal 2 no longer reads"]],
  ["retain, minimum version, service name","retain_containers: 0\nminimum_version: 3.0.0",["6:1 retain_containers: Must retain at least 1 container","7:1 minimum_version: Current version is 2.12.0, minimum required is 3.0.0"]],
  ["service name charset","service: my.app",["6:1 service: Service name can only include alphanumeric characters, hyphens, and underscores"]],
  ["service required","service: null",["6:1 service: should be a string"]],
  ["image required","image: \"\"",["6:1 image: Missing required configuration for image"]],
  ["no servers or accessories","servers: null",["5:1 servers: should be an array or a hash"]],
  ["primary role must exist","servers:\n  workers: [1.1.1.1]",["5:1 servers: The primary_role web isn't defined"]],
  ["primary role named by primary_role must exist","servers:\n  web: [1.1.1.1]\nprimary_role: api",["7:1 primary_role: The primary_role api isn't defined"]],
  ["roles need hosts","servers:\n  web: []\n  workers: { cmd: x }",["6:3 servers/web: No servers specified for the web primary_role","7:3 servers/workers: No servers specified for the workers role. You can ignore this with allow_empty_roles: true"]],
  ["empty roles allowed","servers:\n  web: [1.1.1.1]\n  workers: { cmd: x }\nallow_empty_roles: true",["OK"]],
  ["ssl roles","servers: { web: { hosts: [1.1.1.1, 1.1.1.2], proxy: { host: a.com, ssl: true } }, api: { hosts: [1.1.1.3], proxy: { host: a.com, ssl: true } } }",["5:1 servers: Different roles can't share the same host for SSL: a.com","5:46 servers/web/proxy: SSL is only supported on a single server unless you provide custom certificates, found 2 servers for role web"]],
  ["local registry with remote builder","registry: { server: \"localhost:5000\" }\nbuilder: { arch: amd64, remote: \"tcp://x\" }",["7:25 builder/remote: Local registry with remote builder requires an SSH URL (e.g., ssh://user@host)"]],
  ["proxy run conflicts","servers: { web: { hosts: [1.1.1.1], proxy: { run: { http_port: 81 } } }, api: { hosts: [1.1.1.1], proxy: { run: { http_port: 82 } } } }",["5:108 servers/api/proxy/run: Conflicting proxy run configurations for host 1.1.1.1"]],
  ["output settings","output: { file: {}, otel: {} }",["6:11 output/file: file path is required","6:21 output/otel: OTel endpoint is required"]],
  ["require destination","require_destination: true",["6:1 require_destination: You must specify a destination"]],
  ["boot limit","boot: { limit: [1], wait: \"1\" }",["6:9 boot/limit: should be a string","6:21 boot/wait: should be an integer"]],
  ["boot limit is a count or a percentage","boot: { limit: many }",["6:9 boot/limit: should be a number of hosts or a percentage"]],
  ["sshkit integers","sshkit: { max_concurrent_starts: 1.5 }",["6:11 sshkit/max_concurrent_starts: should be an integer"]],
  ["volumes are strings","volumes: [{ a: b }]",["6:11 volumes/0: should be a string"]],
  ["labels are strings","labels: { a: [1] }",["6:11 labels/a: should be a string"]],
  ["logging root","logging: { driver: [x], level: info }",["6:12 logging/driver: should be a string","6:25 logging: unknown key: level"]],
  ["host tags are a string or a list","servers:\n  - 1.1.1.1: { a: 1 }",["6:5 servers/0/1.1.1.1: should be a string or an array"]],
  ["structured env parts","env: { clear: [], secret: A }",["6:8 env/clear: should be a hash","6:19 env/secret: should be an array"]],
  ["volumes is a list","volumes: /data:/data",["6:1 volumes: should be an array"]],
  ["accessories is a hash of hashes","accessories:\n  db: mysql",["7:3 accessories/db: should be a hash"]],
  ["accessory directories hashes","accessories:\n  db: { image: x, host: a, directories: [{ local: data, remote: /data, mode: [1] }] }",["7:72 accessories/db/directories/0/mode: should be a string"]],
  ["proxy run bind_ips strings","proxy: { run: { bind_ips: [{}] } }",["6:28 proxy/run/bind_ips/0: should be a string"]],
  ["builder args and secrets","builder: { arch: amd64, args: [x], secrets: B }",["6:25 builder/args: should be a hash","6:36 builder/secrets: should be an array"]],
  ["output sections","output: { file: { path: [x] }, stdout: true }",["6:19 output/file/path: should be a string","6:32 output: unknown key: stdout"]],
];

describe("deploy.yml messages", () => {
  test.each(CASES)("%s", (_name, yaml, expected) => {
    expect(issuesOf(yaml)).toEqual(expected);
  });

  test("no servers and no accessories", () => {
    const result = resolveFromYaml(BASE);
    expect("issues" in result && result.issues.map((issue) => issue.message)).toEqual(["No servers or accessories specified"]);
  });

  test("accessories alone need no servers", () => {
    expect("config" in resolveFromYaml(`${BASE}accessories:\n  db: { image: mysql, host: 1.1.1.5 }\n`)).toBe(true);
  });

  test("an accessory's unknown role names the roles, or says there are none", () => {
    const fixes = (yaml: string) => {
      const result = resolveFromYaml(yaml);
      return "issues" in result && result.issues.map((issue) => `${issue.path}: ${issue.fix}`);
    };
    expect(fixes(`${BASE}servers: [1.1.1.1]\naccessories:\n  db: { image: mysql, roles: [workers] }\n`)).toEqual([
      "accessories/db/roles: roles are: web",
    ]);
    expect(fixes(`${BASE}accessories:\n  db: { image: mysql, roles: [web] }\n`)).toEqual([
      "accessories/db/roles: no roles are defined: list them under `servers:` (in this file or the destination's)",
    ]);
  });

  test("an empty file", () => {
    const result = resolveFromYaml("");
    expect("issues" in result && result.issues.map((issue) => `${issue.path}|${issue.message}`)).toEqual(["|should be a hash"]);
  });

  test("renamed Traefik hooks", () => {
    const result = resolveFromYaml(`${BASE}servers: [1.1.1.1]\n`, { hookNames: ["pre-traefik-reboot", "post-deploy"] });
    expect("issues" in result && result.issues.map((issue) => issue.message)).toEqual([
      "Found pre-traefik-reboot, these should be renamed to (pre|post)-proxy-reboot",
    ]);
  });

  test("problems carry a fix and the file", () => {
    const result = resolveFromYaml(`${BASE}servers: [1.1.1.1]\nstop_timeout: "30"\nfoo: 1\n`);
    expect("issues" in result && result.issues).toEqual([
      { file: "config/deploy.yml", path: "stop_timeout", message: "should be an integer", fix: "write a whole number without quotes; `sextant docs` describes it", line: 6, column: 1 },
      {
        file: "config/deploy.yml",
        path: "",
        message: "unknown key: foo",
        fix: "`sextant docs` lists the keys",
        line: 7,
        column: 1,
      },
    ]);
  });

  test("checks of single settings run even when another section is wrong", () => {
    expect(issuesOf(`retain_containers: 0\nproxy: { app_port: x }\naliases: { Deploy: deploy }\nhooks_output: loud\n`)).toEqual([
      "6:1 retain_containers: Must retain at least 1 container",
      "7:10 proxy/app_port: should be an integer",
      "8:12 aliases/Deploy: Invalid alias name: 'Deploy'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.",
      "9:1 hooks_output: Invalid hooks_output 'loud', must be one of: quiet, verbose",
    ]);
  });

  test("a misspelt key gets a suggestion", () => {
    const result = resolveFromYaml(`${BASE}servres: [1.1.1.1]\nproxy: { app_prot: 3000, helthcheck: {} }\n`);
    expect("issues" in result && result.issues.map((issue) => issue.fix)).toEqual([
      "did you mean `servers`? `sextant docs` lists the keys",
      "did you mean `app_port` for `app_prot`, `healthcheck` for `helthcheck`? `sextant docs proxy` lists the keys",
    ]);
  });

  test("an issue in the destination file names that file", () => {
    const result = resolveFromYaml(`${BASE}servers: [1.1.1.1]\n`, { destination: "staging", destinationYaml: "proxy:\n  app_port: x\n" });
    expect("issues" in result && result.issues.map((issue) => `${issue.file}:${issue.line} ${issue.path}`)).toEqual([
      "config/deploy.staging.yml:2 proxy/app_port",
    ]);
  });

  test("Traefik labels are a warning: Kamal 2 accepts them but they do nothing", () => {
    const result = resolveFromYaml(`${BASE}servers: [1.1.1.1]\nlabels: { traefik.http.routers.app.rule: "Host(\`a\`)" }\n`);
    expect("warnings" in result && result.warnings).toEqual([
      "config/deploy.yml: labels: traefik.* labels are Kamal 1 configuration and do nothing with kamal-proxy; use `proxy: { host, path_prefix, ... }` instead",
    ]);
  });
});
