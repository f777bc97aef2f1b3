import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { appDir, buildCli, cleanEnv, ROOT, runCli } from "./support.ts";

// Each run starts a node process; on a busy 2-core machine that can take a second or more.
vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

// VERSION pins the version, so no git repository is needed (kamal-commands.md §2.2).
const run = (cwd: string, args: string[]) => runCli(bin, args, { cwd, env: cleanEnv({ VERSION: "999" }) });

const WITH_ALIASES = `service: app
image: dhh/app
servers:
  web:
    - 1.1.1.1
    - 1.1.1.2
  workers:
    hosts:
      - 1.1.1.3
  console:
    hosts:
      - 1.1.1.5
volumes:
  - /data:/data
builder:
  arch: amd64
registry:
  server: ghcr.io
  username: user
  password: [KAMAL_REGISTRY_PASSWORD]
accessories:
  db:
    image: mysql:8
    host: 1.1.1.9
ssh:
  user: app
  key_data: [SSH_KEY]
aliases:
  other_config: config -c config/deploy2.yml
  other_destination_config: config -d elsewhere
  quiet_other: other_config -q
`;

// Kamal's own test fixtures for "switch config file / destination with an alias" (test/cli/main_test.rb).
const APP2 = `service: app2
image: dhh/app2
servers:
  - "1.1.1.1"
registry:
  username: user2
  password: pw2
builder:
  arch: amd64
`;
const ELSEWHERE = `service: app3
image: dhh/app3
servers:
  - "1.1.1.3"
`;

const app = () =>
  appDir({ "config/deploy.yml": WITH_ALIASES, "config/deploy2.yml": APP2, "config/deploy.elsewhere.yml": ELSEWHERE });

describe("sextant config", () => {
  test("prints what kamal config prints: symbol keys, sorted roles, every host, key_data redacted", async () => {
    const { code, stdout, stderr } = await run(app(), ["config"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(`---
:roles:
- console
- web
- workers
:hosts:
- 1.1.1.5
- 1.1.1.1
- 1.1.1.2
- 1.1.1.3
- 1.1.1.9
:primary_host: 1.1.1.1
:version: '999'
:repository: ghcr.io/dhh/app
:absolute_image: ghcr.io/dhh/app:999
:service_with_version: app-999
:volume_args:
- "--volume"
- "/data:/data"
:ssh_options:
  :user: app
  :port: 22
  :keepalive: true
  :keepalive_interval: 30
  :key_data:
  - "[REDACTED]"
  :log_level: :fatal
:sshkit: {}
:builder:
  arch: amd64
:accessories:
  db:
    image: mysql:8
    host: 1.1.1.9
:logging:
- "--log-opt"
- max-size="10m"
`);
  });

  test("with --json prints one result event holding the same data", async () => {
    const { code, stdout } = await run(app(), ["config", "--json"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(2); // the result, then run.end
    const e = event.parse(JSON.parse(lines[0] ?? ""));
    expect(e).toMatchObject({ type: "result", data: { service_with_version: "app-999", primary_host: "1.1.1.1" } });
  });
});

// Every style rule of Ruby's YAML dump that a real config reaches. The expected text is what Psych 4.0.3 (ruby 3.1)
// prints for the same hash (built from `config --json` with symbol keys and net-ssh's proxy class), byte for byte.
const STYLES = `service: styles
image: acme/styles
servers:
  web:
    - 10.0.0.1
  jobs:
    hosts:
      - 10.0.0.2
    cmd: bin/jobs
volumes:
  - "/srv/storage:/rails/storage"
registry:
  username: acme
  password: [KAMAL_REGISTRY_PASSWORD]
ssh:
  proxy_command: ssh -W %h:%p deploy@bastion.example.com
  keys: ["~/.ssh/id_ed25519"]
  log_level: :debug
builder:
  arch: amd64
  args:
    GREETING: |
      hello
      world
    FLAGS: "--enable-yjit --with-jemalloc --with-openssl-dir=/usr/local/opt/openssl@3 --disable-install-doc"
    EMPTY: ""
    ANSWER: "yes"
    PERCENT: "%"
accessories:
  db:
    image: postgres:16
    host: 10.0.0.3
    cmd: postgres -c shared_buffers=256MB -c max_connections=200 -c log_min_duration_statement=500 -c log_line_prefix='%m [%p] '
    volumes:
      - "pgdata:/var/lib/postgresql/data"
logging:
  options:
    max-size: 100m
`;

describe("sextant config prints Ruby's YAML dump byte for byte", () => {
  test("quoting, 80-column breaks, | blocks, symbols and net-ssh's proxy command object", async () => {
    const { code, stdout, stderr } = await run(appDir({ "config/deploy.yml": STYLES }), ["config"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(`---
:roles:
- jobs
- web
:hosts:
- 10.0.0.2
- 10.0.0.1
- 10.0.0.3
:primary_host: 10.0.0.1
:version: '999'
:repository: acme/styles
:absolute_image: acme/styles:999
:service_with_version: styles-999
:volume_args:
- "--volume"
- "/srv/storage:/rails/storage"
:ssh_options:
  :user: root
  :port: 22
  :proxy: !ruby/object:Net::SSH::Proxy::Command
    command_line_template: ssh -W %h:%p deploy@bastion.example.com
    command_line:
    timeout: 60
  :keepalive: true
  :keepalive_interval: 30
  :keys:
  - "~/.ssh/id_ed25519"
  :log_level: :debug
:sshkit: {}
:builder:
  arch: amd64
  args:
    GREETING: |
      hello
      world
    FLAGS: "--enable-yjit --with-jemalloc --with-openssl-dir=/usr/local/opt/openssl@3
      --disable-install-doc"
    EMPTY: ''
    ANSWER: 'yes'
    PERCENT: "%"
:accessories:
  db:
    image: postgres:16
    host: 10.0.0.3
    cmd: postgres -c shared_buffers=256MB -c max_connections=200 -c log_min_duration_statement=500
      -c log_line_prefix='%m [%p] '
    volumes:
    - pgdata:/var/lib/postgresql/data
:logging:
- "--log-opt"
- max-size="100m"
`);
  });

  // The snapshots were each checked against Psych's dump of the same data (see the STYLES test above).
  test.each([
    ["remote-multiarch-builder", []],
    ["roles-with-tags", []],
    ["single-role", []],
    ["ssh-proxy", []],
    ["with-accessories", []],
    ["with-aliases", []],
    ["with-destinations", ["-d", "production"]],
    ["with-destinations", ["-d", "staging"]],
    ["with-erb", []],
  ])("fixtures/deploy/%s %j", async (fixture, args) => {
    const { code, stdout, stderr } = await run(join(ROOT, "fixtures/deploy", fixture), ["config", ...args]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    await expect(stdout).toMatchFileSnapshot(`config-output/${[fixture, ...args.filter((a) => a !== "-d")].join(".")}.yml`);
  });
});

describe("sextant config schema", () => {
  test("prints a JSON Schema of deploy.yml without needing a config", async () => {
    const { code, stdout } = await run(appDir(), ["config", "schema"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ type: "object", properties: { service: { description: expect.stringContaining("Name of the app") } } });
  });
});

describe("aliases", () => {
  test("an alias may switch the config file", async () => {
    expect((await run(app(), ["other_config"])).stdout).toContain(":service_with_version: app2-999\n");
  });

  test("an alias may switch the destination", async () => {
    expect((await run(app(), ["other_destination_config"])).stdout).toContain(":service_with_version: app3-999\n");
  });

  test("the user's own options come last and win over the alias's", async () => {
    const { stdout } = await run(app(), ["other_config", "-c", "config/deploy.yml"]);
    expect(stdout).toContain(":service_with_version: app-999\n");
  });

  test("an alias of an alias keeps every option, nested ones included", async () => {
    const { code, stdout, stderr } = await run(app(), ["quiet_other", "--json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(event.parse(JSON.parse(stdout.split("\n")[0] ?? ""))).toMatchObject({ data: { service_with_version: "app2-999" } });
  });

  test("an alias given a destination looks itself up in the merged destination config", async () => {
    const dir = appDir({
      "config/deploy.yml": APP2,
      "config/deploy.staging.yml": "aliases:\n  show: config -q\n",
    });
    const { code, stdout } = await run(dir, ["-d", "staging", "show"]);
    expect(code).toBe(0);
    expect(stdout).toContain(":service_with_version: app2-999\n");
  });
});

const BASE = "service: app\nimage: dhh/app\nservers: [1.1.1.1]\nregistry:\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n";

describe("bad input exits 2 with one clear message and no stack trace", () => {
  test.each([
    ["broken YAML", { "config/deploy.yml": "service: app\nimage: [a\n" }, []],
    ["a wrong type", { "config/deploy.yml": BASE.replace("servers: [1.1.1.1]", "servers: 5") }, []],
    ["an unknown key", { "config/deploy.yml": `${BASE}colour: blue\n` }, []],
    ["a missing key", { "config/deploy.yml": BASE.replace("image: dhh/app\n", "") }, []],
    ["a missing destination file", { "config/deploy.yml": BASE }, ["-d", "staging"]],
    ["an unset ENV.fetch", { "config/deploy.yml": BASE.replace("service: app", 'service: <%= ENV.fetch("SEXTANT_TEST_UNSET") %>') }, []],
    // refused without Ruby; a NameError with Ruby
    ["unsupported ERB", { "config/deploy.yml": BASE.replace("service: app", "service: <%= Rails.application.name %>") }, []],
    ["no config at all", {}, []],
  ] as const)("%s", async (_name, files, args) => {
    const dir = appDir(files);
    const { code, stdout, stderr } = await run(dir, ["config", ...args]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/^✗ config\/deploy(\.staging)?\.yml/);
    expect(stderr).not.toContain("    at ");

    const verbose = await run(dir, ["config", "-v", ...args]);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toContain("    at ");
  });

  test("a failing $(...) in .kamal/secrets names the file, the secret and the command's stderr", async () => {
    const dir = appDir({ "config/deploy.yml": BASE, ".kamal/secrets": "PW=$(echo vault locked >&2; exit 3)\n" });
    const { code, stdout, stderr } = await run(dir, ["secrets", "print"]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/^✗ \.kamal\/secrets:1:1: PW: \$\(echo vault locked >&2; exit 3\) exited 3: vault locked\n  fix: /);
    expect(stderr).not.toContain("    at ");
  });

  test("with --json the error is an event carrying every issue and the exit code", async () => {
    const { code, stdout, stderr } = await run(appDir({ "config/deploy.yml": `${BASE}colour: blue\n` }), ["config", "--json"]);
    expect(code).toBe(2);
    const events = stdout.trim().split("\n").map((l) => event.parse(JSON.parse(l)));
    expect(events.map((e) => e.type)).toEqual(["error", "run.end"]);
    expect(events[0]).toMatchObject({
      type: "error",
      kind: "ConfigError",
      exitCode: 2,
      issues: [{ file: "config/deploy.yml", line: 9, column: 1, message: "unknown key: colour" }],
    });
    expect(stderr).toMatch(/^✗ config\/deploy.yml:9:1: unknown key: colour\n/);
  });

  test("the messages say where, what and how to fix it", async () => {
    const broken = await run(appDir({ "config/deploy.yml": `${BASE}colour: blue\n` }), ["config"]);
    expect(broken.stderr).toMatchInlineSnapshot(`
      "✗ config/deploy.yml:9:1: unknown key: colour
        fix: \`sextant docs\` lists the keys
      "
    `);
  });
});

describe("Ctrl-C", () => {
  test("exits 130 and says it was interrupted", async () => {
    // The backtick keeps the config loading long enough to interrupt it; its marker file says the CLI got that far
    // (a fixed delay loses the race on a busy machine, where the signal can arrive before the CLI is listening).
    const dir = appDir({ "config/deploy.yml": BASE.replace("service: app", "service: <%= `touch started; sleep 5; echo app` %>") });
    const interruptWhenLoading = (pid: number) => {
      const poll = setInterval(() => {
        if (!existsSync(join(dir, "started"))) return;
        clearInterval(poll);
        process.kill(pid, "SIGINT");
      }, 20);
    };
    const { code, stderr } = await runCli(bin, ["config"], { cwd: dir, env: cleanEnv({ VERSION: "999" }), onSpawn: interruptWhenLoading });
    expect(code).toBe(130);
    expect(stderr).toBe("✗ interrupted\n");
  });
});
