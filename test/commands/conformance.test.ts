// Kamal 2.12's own command-builder assertions (test/conformance/kamal-2.12-vectors.jsonl, `command` cases), run
// against sextant's builders. Each operation maps to one builder call; see test/conformance/README.md for the
// matching rules.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Accessory, Config, Role } from "../../src/config/model.ts";
import * as accessory from "../../src/commands/accessory.ts";
import * as accessoryExec from "../../src/commands/accessory-exec.ts";
import * as app from "../../src/commands/app.ts";
import * as appAssets from "../../src/commands/app-assets.ts";
import * as appContainers from "../../src/commands/app-containers.ts";
import * as appExec from "../../src/commands/app-exec.ts";
import * as appLogs from "../../src/commands/app-logs.ts";
import * as appProxy from "../../src/commands/app-proxy.ts";
import * as appQuery from "../../src/commands/app-query.ts";
import * as auditor from "../../src/commands/auditor.ts";
import * as builder from "../../src/commands/builder.ts";
import * as builderClone from "../../src/commands/builder-clone.ts";
import { buildOptions } from "../../src/commands/builder-options.ts";
import { buildTarget } from "../../src/commands/builder-target.ts";
import * as docker from "../../src/commands/docker.ts";
import * as hook from "../../src/commands/hook.ts";
import * as lock from "../../src/commands/lock.ts";
import * as proxy from "../../src/commands/proxy.ts";
import * as proxyBoot from "../../src/commands/proxy-boot-config.ts";
import * as prune from "../../src/commands/prune.ts";
import * as registry from "../../src/commands/registry.ts";
import * as server from "../../src/commands/server.ts";
import { cmd, render, type Shell } from "../../src/commands/shell.ts";
import { runOverSsh } from "../../src/commands/ssh.ts";
import { configFromYaml } from "../support/config.ts";

type Vector = {
  kind: string;
  id: string;
  config_yaml: string;
  destination: string | null;
  secrets: Record<string, string>;
  version: string | null;
  operation: string;
  role: string | null;
  host: string | null;
  accessory?: string;
  expected: string | Record<string, string>;
  match: "exact" | "regex" | "env_hash" | "custom";
  regex_flags?: string;
  expected_absent_regex?: string[];
  stdin?: string;
  builder_name?: string;
  docker_arch?: string;
  auditor_details?: Record<string, string>;
  stubs?: Record<string, string>;
};

const vectors: Vector[] = readFileSync(new URL("../conformance/kamal-2.12-vectors.jsonl", import.meta.url), "utf8")
  .split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Vector)
  .filter((v) => v.kind === "command");

/** What a case hands its builder call. */
type Subject = { v: Vector; config: Config; role: Role; host: string; acc: Accessory };
/** A builder call's result: one command, several (all must match), or a hook environment. */
type Built = Shell | Shell[] | Record<string, string>;

// The placeholders stand in for the clock and the git e-mail, which the vectors leave open.
const PERFORMED = { recordedAt: "{{RECORDED_AT}}", performer: "{{PERFORMER}}" };
const SUFFIX = "c0ffee";
const tty = (v: Vector): boolean => v.stdin !== "file (not a tty)";
const defined = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
};

/** Kamal operation (accessory name replaced by `*`) → the sextant builder call. */
const OPERATIONS: Record<string, (s: Subject) => Built> = {
  // accessory.rb
  "accessory[*].run": ({ config, acc }) => accessory.run(config, acc),
  "accessory[*].start": ({ acc }) => accessory.start(acc),
  "accessory[*].stop": ({ acc }) => accessory.stop(acc),
  "accessory[*].info": ({ acc }) => accessory.info(acc),
  'accessory[*].execute_in_new_container("mysql", "-u", "root")': ({ config, acc }) =>
    accessoryExec.executeInNewContainer(config, acc, ["mysql", "-u", "root"]),
  'accessory[*].execute_in_existing_container("mysql", "-u", "root")': ({ acc }) =>
    accessoryExec.executeInExistingContainer(acc, ["mysql", "-u", "root"]),
  'accessory[*].execute_in_new_container_over_ssh("mysql", "-u", "root")': ({ v, config, acc }) =>
    accessoryExec.executeInNewContainerOverSsh(config, acc, ["mysql", "-u", "root"], { tty: tty(v) }),
  'accessory[*].execute_in_existing_container_over_ssh("mysql", "-u", "root")': ({ v, config, acc }) =>
    accessoryExec.executeInExistingContainerOverSsh(config, acc, ["mysql", "-u", "root"], { tty: tty(v) }),
  "accessory[*].logs": ({ acc }) => accessory.logs(acc),
  'accessory[*].logs(since: "5m", lines: 100, grep: "thing")': ({ acc }) => accessory.logs(acc, { since: "5m", lines: 100, grep: "thing" }),
  'accessory[*].logs(since: "5m", lines: 100, grep: "thing", grep_options: "-C 2")': ({ acc }) =>
    accessory.logs(acc, { since: "5m", lines: 100, grep: "thing", grepOptions: "-C 2" }),
  'accessory[*].logs(timestamps: false, since: "5m", lines: 100, grep: "thing", grep_options: "-C 2")': ({ acc }) =>
    accessory.logs(acc, { timestamps: false, since: "5m", lines: 100, grep: "thing", grepOptions: "-C 2" }),
  "accessory[*].follow_logs": ({ config, acc }) => accessory.followLogs(config, acc),
  "accessory[*].follow_logs(timestamps: false)": ({ config, acc }) => accessory.followLogs(config, acc, { timestamps: false }),
  "accessory[*].remove_container": ({ acc }) => accessory.removeContainer(acc),
  "accessory[*].pull_image": ({ acc }) => accessory.pullImage(acc),
  "accessory[*].remove_image": ({ acc }) => accessory.removeImage(acc),
  'accessory[*].deploy(target: "172.1.0.2")': ({ config, acc }) => accessory.deploy(config, acc, "172.1.0.2"),
  "accessory[*].remove": ({ acc }) => accessory.remove(acc),

  // app.rb and app/*.rb
  "app.run": ({ config, role, host }) => app.run(config, role, host),
  'app.run(hostname: "myhost")': ({ config, role, host }) => app.run(config, role, host, { hostname: "myhost" }),
  "app.start": ({ config, role }) => app.start(config, role),
  "app.stop": ({ config, role }) => app.stop(config, role),
  'app.stop(version: "123")': ({ config, role }) => app.stop(config, role, { version: "123" }),
  "app.info": ({ config, role }) => appQuery.info(config, role),
  'app.deploy(target: "172.1.0.2")': ({ config, role }) => appProxy.deploy(config, role, "172.1.0.2"),
  "app.remove": ({ role }) => appProxy.remove(role),
  "app.live": ({ role }) => appProxy.live(role),
  "app.maintenance": ({ role }) => appProxy.maintenance(role),
  'app.maintenance(drain_timeout: 10, message: "Hi")': ({ role }) => appProxy.maintenance(role, { drainTimeout: 10, message: "Hi" }),
  "app.remove_proxy_app_directory": ({ config }) => appProxy.removeProxyAppDirectory(config),
  "app.logs": ({ config, role }) => appLogs.logs(config, role),
  'app.logs(container_id: "C137")': ({ config, role }) => appLogs.logs(config, role, { containerId: "C137" }),
  'app.logs(since: "5m")': ({ config, role }) => appLogs.logs(config, role, { since: "5m" }),
  'app.logs(lines: "100")': ({ config, role }) => appLogs.logs(config, role, { lines: "100" }),
  'app.logs(since: "5m", lines: "100")': ({ config, role }) => appLogs.logs(config, role, { since: "5m", lines: "100" }),
  'app.logs(grep: "my-id")': ({ config, role }) => appLogs.logs(config, role, { grep: "my-id" }),
  'app.logs(grep: "my-id", grep_options: "-C 2")': ({ config, role }) => appLogs.logs(config, role, { grep: "my-id", grepOptions: "-C 2" }),
  'app.logs(since: "5m", grep: "my-id", grep_options: "-C 2")': ({ config, role }) =>
    appLogs.logs(config, role, { since: "5m", grep: "my-id", grepOptions: "-C 2" }),
  'app.logs(since: "5m", grep: "my-id")': ({ config, role }) => appLogs.logs(config, role, { since: "5m", grep: "my-id" }),
  'app.follow_logs(host: "app-1")': ({ config, role }) => appLogs.followLogs(config, role, "app-1"),
  'app.follow_logs(host: "app-1", grep: "Completed")': ({ config, role }) => appLogs.followLogs(config, role, "app-1", { grep: "Completed" }),
  'app.follow_logs(host: "app-1", container_id: "ID321")': ({ config, role }) => appLogs.followLogs(config, role, "app-1", { containerId: "ID321" }),
  'app.follow_logs(host: "app-1", lines: 123)': ({ config, role }) => appLogs.followLogs(config, role, "app-1", { lines: 123 }),
  'app.follow_logs(host: "app-1", lines: 123, grep: "Completed")': ({ config, role }) =>
    appLogs.followLogs(config, role, "app-1", { lines: 123, grep: "Completed" }),
  'app.follow_logs(host: "app-1", timestamps: false, lines: 123, grep: "Completed")': ({ config, role }) =>
    appLogs.followLogs(config, role, "app-1", { timestamps: false, lines: 123, grep: "Completed" }),
  'app.execute_in_new_container("bin/rails", "db:setup", env: {})': ({ config, role, host }) =>
    appExec.executeInNewContainer(config, role, host, ["bin/rails", "db:setup"], { suffix: SUFFIX }),
  'app.execute_in_new_container("bin/rails", "db:setup", env: { "foo" => "bar" })': ({ config, role, host }) =>
    appExec.executeInNewContainer(config, role, host, ["bin/rails", "db:setup"], { env: { foo: "bar" }, suffix: SUFFIX }),
  'app.execute_in_new_container("bin/rails", "db:setup", detach: true, env: {})': ({ config, role, host }) =>
    appExec.executeInNewContainer(config, role, host, ["bin/rails", "db:setup"], { detach: true, suffix: SUFFIX }),
  'app.execute_in_existing_container("bin/rails", "db:setup", env: {})': ({ config, role }) =>
    appExec.executeInExistingContainer(config, role, ["bin/rails", "db:setup"]),
  'app.execute_in_existing_container("bin/rails", "db:setup", env: { "foo" => "bar" })': ({ config, role }) =>
    appExec.executeInExistingContainer(config, role, ["bin/rails", "db:setup"], { env: { foo: "bar" } }),
  'app.execute_in_new_container_over_ssh("bin/rails", "c", env: {})': ({ v, config, role, host }) =>
    appExec.executeInNewContainerOverSsh(config, role, host, ["bin/rails", "c"], { tty: tty(v), suffix: SUFFIX }),
  'app.execute_in_existing_container_over_ssh("bin/rails", "c", env: {})': ({ v, config, role, host }) =>
    appExec.executeInExistingContainerOverSsh(config, role, host, ["bin/rails", "c"], { tty: tty(v) }),
  'app.run_over_ssh("ls", host: "1.1.1.1")': ({ config }) => runOverSsh(config.ssh, "1.1.1.1", cmd("ls")),
  "app.current_running_container_id": ({ config, role }) => appQuery.currentRunningContainerId(config, role),
  'app.container_id_for(container_name: "app-999")': () => appQuery.containerIdFor("app-999"),
  "app.current_running_version": ({ config, role }) => appQuery.currentRunningVersion(config, role),
  "app.list_versions": ({ config, role }) => appQuery.listVersions(config, role),
  'app.list_versions("--latest", statuses: [ :running, :restarting ])': ({ config, role }) =>
    appQuery.listVersions(config, role, { dockerArgs: ["--latest"], statuses: ["running", "restarting"] }),
  "app.list_containers": ({ config, role }) => appContainers.listContainers(config, role),
  "app.list_container_names": ({ config, role }) => appContainers.listContainerNames(config, role),
  'app.remove_container(version: "999")': ({ config, role }) => appContainers.removeContainer(config, role, "999"),
  "app.remove_containers": ({ config, role }) => appContainers.removeContainers(config, role),
  "app.list_images": ({ config }) => appContainers.listImages(config),
  "app.remove_images": ({ config }) => appContainers.removeImages(config),
  "app.tag_latest_image": ({ config }) => appContainers.tagLatestImage(config),
  "app.extract_assets": ({ config, role }) => appAssets.extractAssets(config, role),
  "app.sync_asset_volumes": ({ config, role }) => appAssets.syncAssetVolumes(config, role),
  "app.sync_asset_volumes(old_version: 998)": ({ config, role }) => appAssets.syncAssetVolumes(config, role, { oldVersion: "998" }),
  "app.clean_up_assets": ({ config, role }) => appAssets.cleanUpAssets(config, role),

  // auditor.rb
  'auditor.record("app removed container")': ({ v, config }) =>
    auditor.record(config, PERFORMED, "app removed container", v.auditor_details ?? {}),
  'auditor.record("app removed container", detail: "value")': ({ config }) =>
    auditor.record(config, PERFORMED, "app removed container", { detail: "value" }),

  // builder.rb and builder/*.rb
  "builder.push": ({ v, config }) => builder.push(config, targetOf(v, config)),
  'builder.push("registry", no_cache: true)': ({ v, config }) => builder.push(config, targetOf(v, config), { output: "registry", noCache: true }),
  "builder.target.build_options": ({ config }) => cmd(...buildOptions(config)),
  "builder.validate_image": ({ config }) => builder.validateImage(config),
  "builder.first_mirror": () => builder.firstMirror(),
  "builder.create": ({ v, config }) => defined(builder.create(config, targetOf(v, config)), "builder create"),
  "builder.clone and each of builder.clone_reset_steps": ({ v, config }) => {
    const paths = builderClone.clonePaths(config, { tmpdir: "/tmp", cwd: "/absolute/path with spaces/app", gitRoot: defined(v.stubs?.["Kamal::Git.root"], "git root") });
    return [builderClone.clone(paths), ...builderClone.cloneResetSteps(paths, "c0ffee123")];
  },

  // docker.rb
  "docker.install": () => docker.install(),
  "docker.installed?": () => docker.isInstalled(),
  "docker.running?": () => docker.isRunning(),
  "docker.superuser?": () => docker.isSuperuser(),
  "docker.root?": () => docker.isRoot(),
  "docker.in_docker_group?": () => docker.isInDockerGroup(),
  "docker.add_to_docker_group": () => docker.addToDockerGroup(),
  "docker.refresh_session": () => docker.refreshSession(),

  // hook.rb
  'hook.run("foo")': ({ config }) => hook.run(config, "foo"),
  "hook.env": ({ config }) => revealAll(hook.env(config, PERFORMED)),
  "hook.env(secrets: true)": ({ config }) => revealAll(hook.env(config, PERFORMED, {}, config.secrets.all())),

  // lock.rb
  "lock.status": ({ config }) => lock.status(config),
  'lock.acquire("Hello", "123")': ({ v, config }) =>
    lock.acquire(config, { message: "Hello", version: "123", lockedBy: v.stubs?.["Kamal::Git.user_name"] ?? "Test", at: "2025-01-01T12:00:00Z" }),
  "lock.release": ({ config }) => lock.release(config),

  // proxy.rb
  "proxy.run": ({ config, host }) => proxy.run(proxy.proxyRunFor(config, host)),
  "proxy.start": () => proxy.start(),
  "proxy.stop": () => proxy.stop(),
  "proxy.info": () => proxy.info(),
  "proxy.logs": () => proxy.logs(),
  'proxy.logs(since: "2h")': () => proxy.logs({ since: "2h" }),
  "proxy.logs(lines: 10)": () => proxy.logs({ lines: 10 }),
  "proxy.logs(timestamps: false)": () => proxy.logs({ timestamps: false }),
  'proxy.logs(grep: "hello!")': () => proxy.logs({ grep: "hello!" }),
  "proxy.remove_container": () => proxy.removeContainer(),
  "proxy.remove_image": () => proxy.removeImage(),
  'proxy.follow_logs(host: "1.1.1.1")': ({ config }) => proxy.followLogs(config, "1.1.1.1"),
  'proxy.follow_logs(host: "1.1.1.1", grep: "hello!")': ({ config }) => proxy.followLogs(config, "1.1.1.1", { grep: "hello!" }),
  "proxy.version": () => proxy.version(),
  "proxy.ensure_proxy_directory": () => proxy.ensureProxyDirectory(),
  "proxy.ensure_apps_config_directory": () => proxy.ensureAppsConfigDirectory(),
  "proxy.read_boot_options": () => proxyBoot.readBootOptions(),
  "proxy.read_image": () => proxyBoot.readImage(),
  "proxy.read_image_version": () => proxyBoot.readImageVersion(),
  "proxy.read_run_command": () => proxyBoot.readRunCommand(),
  "proxy.reset_boot_options": () => proxyBoot.resetBootOptions(),
  "proxy.reset_image": () => proxyBoot.resetImage(),
  "proxy.reset_image_version": () => proxyBoot.resetImageVersion(),
  "proxy.reset_run_command": () => proxyBoot.resetRunCommand(),

  // prune.rb
  "prune.dangling_images": ({ config }) => prune.danglingImages(config),
  "prune.tagged_images": ({ config }) => prune.taggedImages(config),
  "prune.app_containers(retain: 5)": ({ config }) => prune.appContainers(config, 5),
  "prune.app_containers(retain: 3)": ({ config }) => prune.appContainers(config, 3),

  // registry.rb
  "registry.login": ({ config }) => defined(registry.login(config.registry), "login"),
  'registry.login(registry_config: config.accessory("db").registry)': ({ config }) => defined(registry.login(dbRegistry(config)), "login"),
  "registry.logout": ({ config }) => registry.logout(config.registry),
  'registry.logout(registry_config: config.accessory("db").registry)': ({ config }) => registry.logout(dbRegistry(config)),
  "registry.setup": ({ config }) => registry.setup(config.registry),
  "registry.remove": () => registry.remove(),

  // server.rb
  "server.ensure_run_directory": () => server.ensureRunDirectory(),
};

function targetOf(v: Vector, config: Config) {
  const target = buildTarget(config, v.docker_arch ?? "amd64");
  if (v.builder_name !== undefined) expect(target.kind).toBe(v.builder_name);
  return target;
}

const dbRegistry = (config: Config) => defined(config.accessories.find((a) => a.name === "db")?.registry, "db registry");

function revealAll(env: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) =>
    [key, typeof value === "string" ? value : (value as { reveal(): string }).reveal()]));
}

/** Ruby regexp → JS: `^`/`$` always match at lines in Ruby; Ruby's `m` is JS's `s`. */
const rubyRegex = (source: string, flags = ""): RegExp => new RegExp(source, `m${flags.includes("m") ? "s" : ""}`);

const operationKey = (v: Vector): string => v.operation.replace(/^accessory\[[^\]]+\]/, "accessory[*]");

function subject(v: Vector): Subject {
  const config = configFromYaml(v.config_yaml, {
    destination: v.destination ?? undefined,
    version: v.version ?? "unpinned",
    secrets: v.secrets,
  });
  // Cases without a role or accessory use none; the first of each stands in so every builder gets its arguments.
  const role = v.role === null ? config.roles[0] : config.roles.find((r) => r.name === v.role);
  const acc = v.accessory === undefined ? config.accessories[0] : config.accessories.find((a) => a.name === v.accessory);
  if (v.role !== null && role === undefined) throw new Error(`${v.id}: no role ${v.role}`);
  if (v.accessory !== undefined && acc === undefined) throw new Error(`${v.id}: no accessory ${v.accessory}`);
  return { v, config, role: role as Role, host: v.host ?? role?.hosts[0] ?? "1.1.1.1", acc: acc as Accessory };
}

function check(v: Vector, built: Built): void {
  if (v.match === "env_hash") {
    expect(built).toEqual(v.expected);
    return;
  }
  const lines = (Array.isArray(built) ? built : [built as Shell]).map((shell) => render(shell, true));
  for (const line of lines) {
    if (v.match === "exact") expect(line).toBe(v.expected);
    if (v.match === "regex") expect(line).toMatch(rubyRegex(v.expected as string, v.regex_flags));
    if (v.match === "custom") checkLockDetails(line, v.expected as string);
    for (const absent of v.expected_absent_regex ?? []) expect(line).not.toMatch(rubyRegex(absent));
  }
}

/** lock/acquire_encodes_non_ascii_lock_details_for_shell: the command is ASCII and the details decode to UTF-8. */
function checkLockDetails(line: string, expected: string): void {
  expect(line).toMatch(/^[\x00-\x7f]*$/);
  const encoded = /echo "(.*)" > \.kamal\/lock-app-production\/details/s.exec(line)?.[1] ?? "";
  expect(Buffer.from(encoded, "base64").toString("utf8")).toContain(expected);
}

const PRUNE_WHY = "prune follows Kamal after 2.12 (#1922, #1923): stopped containers are kept per destination, and every latest tag survives an image prune (docs/decisions.md)";
const PRUNE_CONTAINERS = (keepFrom: number) =>
  `docker ps -q -a --filter label=service=app --filter label=destination= --filter status=created --filter status=exited --filter status=dead | tail -n +${keepFrom} | while read container_id; do docker rm $container_id; done`;
/**
 * Vectors where sextant builds another line on purpose: id → why, and the line it builds instead. The vector must
 * still fail, so an entry that starts matching Kamal 2.12 again fails the suite until it is removed.
 */
const DIFFERENCES: Record<string, { why: string; built: string }> = {
  "commands/prune/tagged_images": {
    why: PRUNE_WHY,
    built: "docker image ls --filter label=service=app --format '{{.ID}} {{.Repository}}:{{.Tag}}' | grep -v -w \"$(docker container ls -a --format '{{.Image}}\\|' --filter label=service=app | tr -d '\\n')dhh/app:<none>\\|[^ ]*:latest\\(-[^ ]*\\)\\?$\" | while read image tag; do docker rmi $tag; done",
  },
  "commands/prune/app_containers#1": { why: PRUNE_WHY, built: PRUNE_CONTAINERS(6) },
  "commands/prune/app_containers#2": { why: PRUNE_WHY, built: PRUNE_CONTAINERS(4) },
};

describe("Kamal 2.12 command vectors", () => {
  beforeAll(() => expect(vectors).toHaveLength(221));

  it("maps every operation in the vectors", () => {
    const unmapped = [...new Set(vectors.map(operationKey))].filter((key) => OPERATIONS[key] === undefined);
    expect(unmapped).toEqual([]);
  });

  for (const v of vectors) {
    it(v.id, async () => {
      const s = subject(v);
      await s.config.secrets.load();
      const build = defined(OPERATIONS[operationKey(v)], `operation ${v.operation}`);
      const difference = DIFFERENCES[v.id];
      if (difference === undefined) return check(v, build(s));
      const line = render(build(s) as Shell, true);
      expect(line, `listed as a difference (${difference.why}) but now matches Kamal 2.12: remove it from DIFFERENCES`).not.toBe(v.expected);
      expect(line).toBe(difference.built);
    });
  }
});
