// Every `accessory` subcommand run with --dry-run on fixtures/deploy/with-accessories: exit 0, the commands it would
// send (HOST<TAB>COMMAND on stdout), and no secret value anywhere.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { buildCli, cleanEnv, ROOT, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

const SECRETS = ["registry-pw-1", "mysql-root-pw-2", "mysql-pw-3"];

let bin = "";
let cleanup = () => {};
let app = "";
beforeAll(() => {
  ({ bin, cleanup } = buildCli());
  app = mkdtempSync(join(tmpdir(), "sextant-accessory-"));
  cpSync(join(ROOT, "fixtures/deploy/with-accessories"), app, { recursive: true });
  writeFileSync(join(app, ".kamal/secrets"),
    `KAMAL_REGISTRY_PASSWORD=${SECRETS[0]}\nMYSQL_ROOT_PASSWORD=${SECRETS[1]}\nMYSQL_PASSWORD=${SECRETS[2]}\n`);
  execFileSync("git", ["init", "-q"], { cwd: app });
}, 60_000);
afterAll(() => cleanup());

const env = () => cleanEnv({ VERSION: "4f2c1e9", SOURCE_DATE_EPOCH: "1767225600", HOME: app, GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Pat Deployer", GIT_COMMITTER_NAME: "Pat Deployer", EMAIL: "pat@example.com" });
const dryRun = (args: string[]) => runCli(bin, ["accessory", ...args, "--dry-run"], { cwd: app, env: env() });

const MYSQL = "172.16.0.20";
const REDIS = "172.16.0.10";
const LOCK = "172.16.0.10\t/usr/bin/env rm .kamal/lock-tracker/details && rm -r .kamal/lock-tracker";
const MYSQL_RUN = `${MYSQL}\tdocker run --name tracker-mysql --detach --restart unless-stopped --network kamal --log-opt max-size="10m" --publish 127.0.0.1:3306:3306 --env KAMAL_HOST="${MYSQL}" --env MYSQL_DATABASE="tracker" --env MYSQL_ROOT_HOST="%" --env-file .kamal/apps/tracker/env/accessories/mysql.env --volume $PWD/tracker-mysql/docker-entrypoint-initdb.d/init.sql:/docker-entrypoint-initdb.d/init.sql --volume $PWD/tracker-mysql/data:/var/lib/mysql --label service="tracker-mysql" --memory "2g" mysql:8.0`;
const REDIS_RUN = `${REDIS}\tdocker run --name tracker-redis --detach --restart unless-stopped --network kamal --log-opt max-size="10m" --publish 6379:6379 --env KAMAL_HOST="${REDIS}" --env-file .kamal/apps/tracker/env/accessories/redis.env --volume /var/lib/redis:/data --label service="tracker-redis" redis:7 redis-server --appendonly yes`;
const MYSQL_VOLUMES = "--volume $PWD/tracker-mysql/docker-entrypoint-initdb.d/init.sql:/docker-entrypoint-initdb.d/init.sql --volume $PWD/tracker-mysql/data:/var/lib/mysql";

/** The lines of stdout that contain `part`, to check order without pinning the whole run. */
const linesWith = (stdout: string, part: string) => stdout.split("\n").filter((l) => l.includes(part));

/** Each subcommand, the commands that must appear (in this order), and the ones that must not. */
const CASES: { args: string[]; sends: string[]; never?: string[] }[] = [
  {
    args: ["boot", "mysql"],
    sends: [
      `${MYSQL}\tdocker login registry.example.com -u [REDACTED] --password-stdin`,
      `${MYSQL}\tdocker network create kamal`,
      `${MYSQL}\tdocker ps -a -q --filter label=service=tracker-mysql`,
      `${MYSQL}\t/usr/bin/env mkdir -p $PWD/tracker-mysql/data`,
      `${MYSQL}\t/usr/bin/env mkdir -p tracker-mysql/docker-entrypoint-initdb.d`,
      `${MYSQL}\tupload 0644 tracker-mysql/docker-entrypoint-initdb.d/init.sql`,
      `${MYSQL}\t/usr/bin/env chmod 755 tracker-mysql/docker-entrypoint-initdb.d/init.sql`,
      `${MYSQL}\t/usr/bin/env mkdir -p .kamal/apps/tracker/env/accessories`,
      `${MYSQL}\tupload 0600 .kamal/apps/tracker/env/accessories/mysql.env`,
      MYSQL_RUN,
      LOCK,
    ],
    never: ["tracker-redis"],
  },
  { args: ["boot", "all"], sends: [MYSQL_RUN, REDIS_RUN, LOCK] },
  {
    args: ["reboot", "redis"],
    sends: [
      `${REDIS}\tdocker image pull redis:7`,
      `${REDIS}\tdocker container stop tracker-redis`,
      `${REDIS}\tdocker container prune --force --filter label=service=tracker-redis`,
      REDIS_RUN,
      LOCK,
    ],
  },
  { args: ["start", "redis"], sends: [`${REDIS}\tdocker container start tracker-redis`, LOCK] },
  { args: ["stop", "all"], sends: [`${MYSQL}\tdocker container stop tracker-mysql`, `${REDIS}\tdocker container stop tracker-redis`, LOCK] },
  { args: ["restart", "mysql"], sends: [`${MYSQL}\tdocker container stop tracker-mysql`, `${MYSQL}\tdocker container start tracker-mysql`, LOCK] },
  {
    args: ["details", "all"],
    sends: [`${MYSQL}\tdocker ps --filter label=service=tracker-mysql`, `${REDIS}\tdocker ps --filter label=service=tracker-redis`],
  },
  {
    args: ["upload", "mysql"],
    sends: [`${MYSQL}\tupload 0644 tracker-mysql/docker-entrypoint-initdb.d/init.sql`,
      `${MYSQL}\t/usr/bin/env chmod 755 tracker-mysql/docker-entrypoint-initdb.d/init.sql`, LOCK],
    never: ["docker run"],
  },
  { args: ["directories", "all"], sends: [`${MYSQL}\t/usr/bin/env mkdir -p $PWD/tracker-mysql/data`, LOCK], never: ["upload"] },
  {
    args: ["remove", "mysql", "-y"],
    sends: [
      `${MYSQL}\tdocker container stop tracker-mysql`,
      `${MYSQL}\tdocker container prune --force --filter label=service=tracker-mysql`,
      `${MYSQL}\tdocker image rm --force mysql:8.0`,
      `${MYSQL}\t/usr/bin/env rm -rf tracker-mysql`,
      LOCK,
    ],
    never: ["tracker-redis"],
  },
  { args: ["pull_image", "all"], sends: [`${MYSQL}\tdocker image pull mysql:8.0`, `${REDIS}\tdocker image pull redis:7`, LOCK] },
  { args: ["remove_container", "mysql"], sends: [`${MYSQL}\tdocker container prune --force --filter label=service=tracker-mysql`, LOCK], never: ["docker container stop"] },
  { args: ["remove_image", "redis"], sends: [`${REDIS}\tdocker image rm --force redis:7`, LOCK], never: ["tracker-mysql"] },
  { args: ["remove_service_directory", "mysql"], sends: [`${MYSQL}\t/usr/bin/env rm -rf tracker-mysql`, LOCK], never: ["docker"] },
  {
    args: ["upgrade", "all", "-y", "--rolling"],
    sends: [
      `${MYSQL}\tdocker network create kamal`,
      `${MYSQL}\tdocker container stop tracker-mysql`,
      MYSQL_RUN,
      `${REDIS}\tdocker image pull redis:7`,
      REDIS_RUN,
      LOCK,
    ],
  },
  {
    args: ["exec", "mysql", "mysql -u root"],
    sends: [
      `${MYSQL}\tdocker login registry.example.com -u [REDACTED] --password-stdin`,
      `${MYSQL}\tdocker run --rm --network kamal --env MYSQL_DATABASE="tracker" --env MYSQL_ROOT_HOST="%" --env-file .kamal/apps/tracker/env/accessories/mysql.env ${MYSQL_VOLUMES} --memory "2g" mysql:8.0 mysql -u root`,
    ],
  },
  { args: ["exec", "--reuse", "redis", "redis-cli", "ping"], sends: [`${REDIS}\tdocker exec tracker-redis redis-cli ping`], never: ["docker login"] },
  { args: ["exec", "--reuse", "--raw", "redis", "redis-cli", "ping"], sends: [`${REDIS}\tdocker exec tracker-redis redis-cli ping`], never: ["App Host"] },
  { args: ["logs", "mysql"], sends: [`${MYSQL}\tdocker logs tracker-mysql  --tail 100 --timestamps 2>&1`] },
  { args: ["logs", "redis", "--since", "5m", "--grep", "Ready", "-T"], sends: [`${REDIS}\tdocker logs tracker-redis  --since 5m 2>&1 | grep 'Ready'`] },
  { args: ["logs", "redis", "-f"], sends: [`${REDIS}\tdocker logs tracker-redis --timestamps --tail 10 --follow 2>&1`] },
];

describe("sextant accessory SUBCOMMAND --dry-run on fixtures/deploy/with-accessories", () => {
  for (const { args, sends, never = [] } of CASES) {
    test(`accessory ${args.join(" ")}`, async () => {
      const { code, stdout, stderr } = await dryRun(args);
      expect(stderr).not.toContain("✗");
      expect(code).toBe(0);
      const lines = stdout.split("\n");
      // Results (`App Host: ...`) are what hosts answer; a dry run has none to show, so they go to stderr.
      for (const line of lines.filter(Boolean)) expect(line).toMatch(/^[^\t]+\t/);
      const at = sends.map((line) => lines.indexOf(line));
      expect(sends.filter((_, i) => at[i] === -1), stdout).toEqual([]);
      expect(at, "in this order").toEqual([...at].sort((a, b) => a - b));
      for (const part of never) expect(linesWith(stdout, part)).toEqual([]);
      for (const secret of SECRETS) expect(stdout + stderr).not.toContain(secret);
    });
  }

  test("remove without -y, dry run, plans the removal without asking, since it sends nothing", async () => {
    const { code, stdout, stderr } = await dryRun(["remove", "all"]);
    expect(code).toBe(0);
    expect(stderr).not.toContain("Are you sure?");
    expect(linesWith(stdout, "docker container prune --force --filter label=service=tracker-mysql").length).toBeGreaterThan(0);
  });

  test("upgrade says which hosts it works on, and a dry run never asks", async () => {
    const { stderr } = await dryRun(["upgrade", "all", "-y"]);
    expect(stderr).toContain(`Upgrading all accessories on ${MYSQL},${REDIS}...`);
    expect(stderr).toContain(`Upgraded all accessories on ${MYSQL},${REDIS}...`);
    const unasked = await dryRun(["upgrade", "all"]);
    expect(unasked.code).toBe(0);
    expect(unasked.stderr).not.toContain("Are you sure?");
    expect(unasked.stdout).toBe((await dryRun(["upgrade", "all", "-y"])).stdout);
  });

  test("help lists upgrade but, as Kamal, not the steps reboot and remove are made of", async () => {
    const { code, stdout } = await runCli(bin, ["accessory", "--help"], { cwd: app, env: env() });
    expect(code).toBe(0);
    expect(stdout).toContain("upgrade");
    for (const hidden of ["pull_image", "remove_container", "remove_image", "remove_service_directory", "upload", "directories"])
      expect(stdout).not.toMatch(new RegExp(`^\\s+${hidden}\\b`, "m"));
    const step = await runCli(bin, ["accessory", "remove_image", "--help"], { cwd: app, env: env() });
    expect(step.stdout).toContain("Remove accessory image from host");
  });

  test("an unknown accessory is a usage error (exit 2) naming the ones there are", async () => {
    const { code, stdout, stderr } = await dryRun(["boot", "postgres"]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.split("\n").slice(1)).toEqual([
      "Dry run: no commands planned; nothing was sent",
      "✗ No accessory by the name of 'postgres' (options: mysql and redis)",
      "  fix: check the name under accessories: in config/deploy.yml",
      "",
    ]);
  });

  test("exec without a command, or with --raw and -i together, is a usage error", async () => {
    const { code, stderr } = await dryRun(["exec", "mysql"]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'cmd'");
    const raw = await dryRun(["exec", "-i", "--raw", "mysql", "bash"]);
    expect({ code: raw.code, stdout: raw.stdout }).toEqual({ code: 2, stdout: "" });
    expect(raw.stderr).toContain("Raw is not compatible with interactive");
  });

  test("with --json every line is a valid event and each command a planned event", async () => {
    const { code, stdout } = await runCli(bin, ["accessory", "reboot", "all", "--dry-run", "--json"], { cwd: app, env: env() });
    expect(code).toBe(0);
    const events = stdout.trimEnd().split("\n").map((l) => event.parse(JSON.parse(l)));
    const planned = events.flatMap((e) => (e.type === "planned" ? [e] : []));
    expect(planned.length).toBeGreaterThan(10);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(SECRETS.join("|")));
  });
});
