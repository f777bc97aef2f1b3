import { describe, expect, test } from "vitest";
import { loadConfigFromText } from "../../src/config/load.ts";
import { ConfigError } from "../../src/errors.ts";

const BASE = `service: app
image: acme/app
servers:
  web:
    hosts:
      - 10.0.0.1
registry:
  username: user
  password: pw
builder:
  arch: amd64
`;

async function issuesOf(yaml: string): Promise<string[]> {
  const error = await loadConfigFromText({ yaml, version: "v1" }).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof ConfigError)) return [];
  return error.issues.map((i) => `${i.line}:${i.path}: ${i.message} | ${i.fix}`);
}

describe("values a shell would act on are refused with the form they must have", () => {
  test("host names, role names and keys, each at its line", async () => {
    const yaml = `service: app
image: acme/app
servers:
  web:
    hosts:
      - "10.0.0.1; reboot"
      - "10.0.0.2": [canary]
    labels:
      "team$(id)": core
    options:
      "memory|x": 1g
  "jobs;x":
    - 10.0.0.3
env:
  clear:
    "A\`id\`": "1"
volumes:
  - "/data:/data && rm -rf /"
registry:
  server: "r.example.com>x"
  username: user
  password: pw
builder:
  arch: amd64
`;
    expect(await issuesOf(yaml)).toMatchInlineSnapshot(`
      [
        "6:servers/web/hosts/0: "10.0.0.1; reboot" is not a host name or address | write a host name or address, e.g. \`web-1.example.com\`, \`10.0.0.1\` or \`[2001:db8::1]\` (letters, digits, \`.\`, \`-\`, \`_\`, \`:\`, \`@\`, \`[ ]\`)",
        "9:servers/web/labels/team$(id): "team$(id)" is not a label key | write a label key with letters, digits, \`.\`, \`-\`, \`_\`, \`/\` and \`:\`, e.g. \`com.example.team\`",
        "11:servers/web/options/memory|x: "memory|x" is not a docker option name | write the option's name without dashes, e.g. \`memory\`, \`cap-add\` or \`max-size\`",
        "12:servers/jobs;x: "jobs;x" is not a role name | name the role with letters, digits, \`_\`, \`-\` and \`.\`, e.g. \`web\` or \`workers\`",
        "16:env/clear/A\`id\`: "A\`id\`" is not an environment variable name | name the variable with letters, digits, \`_\`, \`.\` and \`-\`, e.g. \`DATABASE_URL\`",
        "18:volumes/0: "/data:/data && rm -rf /" is not a path | write a path without blanks, quotes, \`;\`, \`|\`, \`&\`, \`<\`, \`>\`, backticks, \`$(\` or line breaks",
        "20:registry/server: "r.example.com>x" is not a registry server | write the registry's host and optional port, e.g. \`ghcr.io\` or \`localhost:5555\`",
      ]
    `);
  });

  test("accessories: image, host, option keys and directories", async () => {
    const yaml = `${BASE}accessories:
  db:
    image: "mysql:8.0;id"
    host: "10.0.0.9\\nid"
    options:
      "cap-add&": x
    directories:
      - "data:/var/lib/mysql'"
`;
    expect(await issuesOf(yaml)).toMatchInlineSnapshot(`
      [
        "14:accessories/db/image: "mysql:8.0;id" is not an image reference | write an image reference, e.g. \`acme/app\`, \`mysql:8.0\` or \`ghcr.io/acme/app\` (letters, digits, \`.\`, \`-\`, \`_\`, \`/\`, \`:\`, \`@\`)",
        "15:accessories/db/host: "10.0.0.9\\nid" is not a host name or address | write a host name or address, e.g. \`web-1.example.com\`, \`10.0.0.1\` or \`[2001:db8::1]\` (letters, digits, \`.\`, \`-\`, \`_\`, \`:\`, \`@\`, \`[ ]\`)",
        "17:accessories/db/options/cap-add&: "cap-add&" is not a docker option name | write the option's name without dashes, e.g. \`memory\`, \`cap-add\` or \`max-size\`",
        "19:accessories/db/directories/0: "data:/var/lib/mysql'" is not a path | write a path without blanks, quotes, \`;\`, \`|\`, \`&\`, \`<\`, \`>\`, backticks, \`$(\` or line breaks",
      ]
    `);
  });

  test("accessory names, ports, mounts and the proxy's image tag", async () => {
    const yaml = `${BASE}proxy:
  run:
    version: "v0.9.2$(id)"
accessories:
  db:
    image: mysql:8.0
    host: 10.0.0.9
    service: "db|x"
    port: "3306;x"
    files:
      - local: config/init.sql
        remote: /docker-entrypoint-initdb.d/init.sql
        mode: "0600;id"
        owner: "mysql:mysql>x"
`;
    expect(await issuesOf(yaml)).toMatchInlineSnapshot(`
      [
        "14:proxy/run/version: "v0.9.2$(id)" is not a version tag | write an image tag: letters, digits, \`_\`, \`.\` and \`-\`, e.g. \`v0.9.2\`",
        "19:accessories/db/service: "db|x" is not a container or network name | use letters, digits, \`_\`, \`-\` and \`.\`, e.g. \`app-db\`",
        "20:accessories/db/port: "3306;x" is not a port spec | write \`PORT\` or \`[IP:]HOST_PORT:CONTAINER_PORT[/udp]\`, e.g. \`6379\` or \`127.0.0.1:3306:3306\` (more addresses: \`127.0.0.1:5432:5432 --publish [::1]:5432:5432\`)",
        "24:accessories/db/files/0/mode: "0600;id" is not a file mode | write an octal or symbolic chmod mode, quoted, e.g. "0600" or "u+rw"",
        "25:accessories/db/files/0/owner: "mysql:mysql>x" is not a file owner | write \`user\` or \`user:group\`, e.g. \`mysql:mysql\`",
      ]
    `);
  });

  test("builder settings that reach the local shell", async () => {
    const yaml = `${BASE.replace("builder:\n  arch: amd64\n", "")}builder:
  arch: amd64
  args:
    "A;B": "1"
  target: "prod|x"
  remote: "ssh://h\`id\`"
  cache:
    type: registry
    options: "mode=max&x"
  driver: "docker-container;id"
`;
    expect(await issuesOf(yaml)).toMatchInlineSnapshot(`
      [
        "13:builder/args/A;B: "A;B" is not an environment variable name | name the variable with letters, digits, \`_\`, \`.\` and \`-\`, e.g. \`DATABASE_URL\`",
        "14:builder/target: "prod|x" is not a build stage name | write the name of a \`FROM ... AS name\` stage: letters, digits, \`_\`, \`-\` and \`.\`",
        "15:builder/remote: "ssh://h\`id\`" is not a Docker host address | write \`ssh://user@host\` or \`tcp://host:port\`",
        "18:builder/cache/options: "mode=max&x" is not a list of \`key=value\` settings | write comma-separated \`key=value\` pairs of letters, digits and \`.\`, \`-\`, \`_\`, \`/\`, \`:\`, e.g. \`mode=max\`",
        "19:builder/driver: "docker-container;id" is not a buildx driver | write a buildx driver name, e.g. \`docker-container\` or \`docker\`, or \`cloud ORG/BUILDER\` for Docker Build Cloud",
      ]
    `);
  });

  test("buildpacks and Docker Build Cloud: real forms load, metacharacters are refused", async () => {
    const withBuilder = (builder: string) => `${BASE.replace("builder:\n  arch: amd64\n", "")}builder:\n  arch: amd64\n${builder}`;
    expect(await issuesOf(withBuilder(`  driver: cloud acme-inc/default
  pack:
    builder: heroku/builder:24
    buildpacks: [heroku/ruby, heroku/procfile@3.1.0, "urn:cnb:builder:heroku/go", "docker://gcr.io/paketo-buildpacks/node"]
`))).toEqual([]);
    expect(await issuesOf(withBuilder(`  pack:
    builder: "heroku/builder:24 $(id)"
    buildpacks: [heroku/ruby, "x;reboot"]
`))).toMatchInlineSnapshot(`
  [
    "13:builder/pack/builder: "heroku/builder:24 $(id)" is not an image reference | write an image reference, e.g. \`acme/app\`, \`mysql:8.0\` or \`ghcr.io/acme/app\` (letters, digits, \`.\`, \`-\`, \`_\`, \`/\`, \`:\`, \`@\`)",
    "14:builder/pack/buildpacks/1: "x;reboot" is not a buildpack reference | write a buildpack's id, image or path, e.g. \`heroku/ruby\`, \`paketo-buildpacks/nodejs@1.2.3\` or \`docker://gcr.io/paketo-buildpacks/node\`",
  ]
`);
  });

  test("the forms real configs use load", async () => {
    const yaml = `service: app
image: ghcr.io/acme/app@sha256:abc
servers:
  web_tls.1:
    hosts:
      - deploy@web-1.example.com
      - "[2001:db8::1]"
      - 10.0.0.2:2222: [eu]
    labels:
      com.example/team:x: core
    options:
      cap-add: NET_ADMIN
    logging:
      options:
        max-size: 10m
env:
  clear:
    DATABASE_URL: "postgres://x;y"
    rails.env-x: "1"
volumes:
  - $PWD/data:/data:ro
  - "/srv/my-app_data,1:/data2"
registry:
  server: localhost:5555
  username: user
  password: pw
primary_role: web_tls.1
builder:
  arch: [amd64, arm64]
  remote: ssh://deploy@builder.example.com
  dockerfile: docker/Dockerfile.production
  context: .
  target: production
  args:
    RUBY_VERSION: "3.3"
  secrets: [GITHUB_TOKEN]
  ssh: default=$SSH_AUTH_SOCK
  cache:
    type: registry
    options: mode=max,image-manifest=true
proxy:
  run:
    version: v0.9.2
    registry: ghcr.io
    bind_ips: [0.0.0.0, "::"]
accessories:
  db:
    image: mysql:8.0
    service: tracker-db
    host: 10.0.0.9
    port: "127.0.0.1:3306:3306 --publish [::1]:3306:3306"
    files:
      - config/init.sql:/docker-entrypoint-initdb.d/init.sql:ro
      - local: config/my.cnf
        remote: /etc/mysql/my.cnf
        mode: "0644"
        owner: mysql:mysql
    directories:
      - data:/var/lib/mysql
`;
    expect(await issuesOf(yaml)).toEqual([]);
  });
});

test("a port spec may publish more addresses, and nothing else", async () => {
  const withPort = (port: string) => `${BASE}accessories:\n  db:\n    image: mysql:8.0\n    host: 10.0.0.9\n    port: ${JSON.stringify(port)}\n`;
  expect(await issuesOf(withPort("127.0.0.1:5432:5432 -p [::1]:5432:5432"))).toEqual([]);
  expect((await issuesOf(withPort("5432 --publish 1:1 --privileged"))).map((issue) => issue.split(" | ")[0]))
    .toEqual(['16:accessories/db/port: "5432 --publish 1:1 --privileged" is not a port spec']);
});
