// Accessories end to end: the built CLI boots the lab's redis image on a lab host as Kamal would (a `directories`
// data volume and an ERB `files` entry carrying the redis config), then reboot and upgrade keep the data,
// exec/logs/details answer, and remove leaves nothing behind. The tests run in order and share the host's state.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { labAccess } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";

const SERVICE = "cache";
const CONTAINER = `${SERVICE}-redis`;
const PASSWORD = "s3cret-redis-pw";

/** The redis config as an ERB file: a clear env value and a secret one, both read from ENV. */
const REDIS_CONF_ERB = `bind 0.0.0.0
protected-mode no
dir /data
appendonly yes
maxclients <%= ENV["REDIS_MAXCLIENTS"] %>
requirepass <%= ENV["REDIS_PASSWORD"] %>
`;

function deployYml(lab: Lab, address: string): string {
  return `service: ${SERVICE}
image: sextant-lab/${SERVICE}
servers:
  - ${address}
${labAccess(lab)}builder:
  arch: amd64
accessories:
  redis:
    image: ${lab.images.redis}
    host: ${address}
    port: "6379"
    cmd: /etc/redis/redis.conf
    env:
      clear:
        REDIS_MAXCLIENTS: "64"
      secret:
        - REDIS_PASSWORD
    files:
      - config/redis/redis.conf.erb:/etc/redis/redis.conf
    directories:
      - data:/data
`;
}

/**
 * AUTH (when given), the command and QUIT over the accessory's published port; resolves to the command's reply
 * as its last line without RESP length markers (`+OK`, `-NOAUTH ...`, a bulk string's value).
 */
function redis(address: string, command: string, password?: string): Promise<string> {
  return new Promise((ok, fail) => {
    const lines = [...(password ? [`AUTH ${password}`] : []), command, "QUIT"];
    const sock = net.connect({ host: address, port: 6379 }, () => sock.write(lines.map((l) => `${l}\r\n`).join("")));
    let reply = "";
    sock.setTimeout(5000, () => sock.destroy(new Error(`redis ${command}: timed out after ${JSON.stringify(reply)}`)));
    sock.on("data", (data) => (reply += data.toString()));
    sock.on("end", () => ok(reply.split("\r\n").filter((l) => l && !/^[$*]\d+$/.test(l)).at(-2) ?? ""));
    sock.on("error", fail);
  });
}

/** Retries `probe` until it resolves to `want` (redis takes a moment to listen after `docker run`). */
async function eventually(probe: () => Promise<string>, want: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    last = await probe().catch((err: unknown) => String(err));
    if (last === want) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wanted ${want}, last got ${last}`);
}

describe.skipIf(labSkipped())("accessories on a lab host", () => {
  let lab: Lab;
  let dir: string;
  let address: string;
  // A bundle of its own: dist/ is rebuilt by others while this file runs.
  let cli: { bin: string; cleanup: () => void } | undefined;
  const on = async (command: string) => (await execa("ssh", sshArgs(lab, address, command))).stdout;
  const sextant = async (...args: string[]) => {
    const run = await execa(process.execPath, [cli?.bin ?? "", ...args], {
      cwd: dir, reject: false, env: { DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1" },
    });
    return { code: run.exitCode, stdout: run.stdout, stderr: run.stderr, all: `${run.stdout}\n${run.stderr}` };
  };

  beforeAll(async () => {
    cli = buildCli();
    lab = currentLab();
    address = lab.hosts[0]?.address ?? "";
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-accessory-"));
    mkdirSync(join(dir, "config/redis"), { recursive: true });
    mkdirSync(join(dir, ".kamal"));
    mkdirSync(join(dir, ".docker"));
    writeFileSync(join(dir, "config/deploy.yml"), deployYml(lab, address));
    writeFileSync(join(dir, "config/redis/redis.conf.erb"), REDIS_CONF_ERB);
    writeFileSync(join(dir, ".kamal/secrets"), `LAB_PASSWORD=lab-password\nREDIS_PASSWORD=${PASSWORD}\n`);
    // The deploy lock records a version, which comes from git.
    const git = (...args: string[]) => execa("git", args, { cwd: dir });
    await git("init", "-q", "-b", "main");
    await git("config", "user.name", "Lab Deployer");
    await git("config", "user.email", "deployer@lab.test");
    await git("add", "-A");
    await git("commit", "-q", "-m", "app with redis");
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    if (dir) rmSync(dir, { recursive: true, force: true });
    cli?.cleanup();
  });

  test("boot runs the lab's redis image with its data directory and rendered config mounted", async () => {
    const run = await sextant("accessory", "boot", "redis");
    expect(run.code, run.all).toBe(0);
    expect(run.all).not.toContain(PASSWORD);

    const container = JSON.parse(await on(`docker inspect --format '{{json .}}' ${CONTAINER}`)) as {
      Config: { Image: string; Labels: Record<string, string>; Cmd: string[] };
      HostConfig: { NetworkMode: string; RestartPolicy: { Name: string } };
      Mounts: { Source: string; Destination: string }[];
      State: { Running: boolean };
    };
    expect(container.State.Running).toBe(true);
    expect(container.Config.Image).toBe(lab.images.redis);
    expect(container.Config.Labels).toMatchObject({ service: CONTAINER });
    expect(container.Config.Cmd).toEqual(["/etc/redis/redis.conf"]);
    expect(container.HostConfig.NetworkMode).toBe("kamal");
    expect(container.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
    expect(container.Mounts.map((m) => `${m.Source}:${m.Destination}`).sort()).toEqual([
      `/root/${CONTAINER}/data:/data`,
      `/root/${CONTAINER}/etc/redis/redis.conf:/etc/redis/redis.conf`,
    ]);
    // The secret env reaches the container through the 0600 env file, not argv.
    expect(await on(`stat -c '%a' .kamal/apps/${SERVICE}/env/accessories/redis.env`)).toBe("600");
  });

  test("the .erb file lands at ~/<service>/<remote path>, rendered with clear and secret env, mode 755", async () => {
    const path = `${CONTAINER}/etc/redis/redis.conf`;
    expect(await on(`cat ${path}`)).toBe(REDIS_CONF_ERB.replace('<%= ENV["REDIS_MAXCLIENTS"] %>', "64")
      .replace('<%= ENV["REDIS_PASSWORD"] %>', PASSWORD).trimEnd());
    expect(await on(`stat -c '%a' ${path}`)).toBe("755");
    // redis really runs with it: the password is required and the clear value is in force.
    expect(await eventually(() => redis(address, "PING"), "-NOAUTH Authentication required.")).toBeTruthy();
    expect(await redis(address, "CONFIG GET maxclients", PASSWORD)).toBe("64");
  });

  test("data written before `accessory reboot` is read back from a new container", async () => {
    const before = await on(`docker inspect --format '{{.Id}}' ${CONTAINER}`);
    expect(await redis(address, "SET greeting hello-from-sextant", PASSWORD)).toBe("+OK");
    expect(await redis(address, "SAVE", PASSWORD)).toBe("+OK");

    const run = await sextant("accessory", "reboot", "redis");
    expect(run.code, run.all).toBe(0);

    expect(await on(`docker inspect --format '{{.Id}}' ${CONTAINER}`)).not.toBe(before);
    expect(await eventually(() => redis(address, "GET greeting", PASSWORD), "hello-from-sextant")).toBeTruthy();
    expect(await on(`ls ${CONTAINER}/data`)).toContain("appendonlydir");
  });

  test("accessory upgrade (Kamal 1 to 2) replaces the container in the kamal network and keeps the data", async () => {
    const before = await on(`docker inspect --format '{{.Id}}' ${CONTAINER}`);
    const run = await sextant("accessory", "upgrade", "redis", "-y", "--rolling");
    expect(run.code, run.all).toBe(0);
    expect(run.all).toContain(`Upgrading redis accessories on ${address}...`);

    expect(await on(`docker inspect --format '{{.Id}}' ${CONTAINER}`)).not.toBe(before);
    expect(await on(`docker inspect --format '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}' ${CONTAINER}`)).toBe("kamal");
    expect(await eventually(() => redis(address, "GET greeting", PASSWORD), "hello-from-sextant")).toBeTruthy();
  });

  test("accessory stop, start and restart change the container's state", async () => {
    const state = () => on(`docker inspect --format '{{.State.Status}}' ${CONTAINER}`);
    const stop = await sextant("accessory", "stop", "redis");
    expect(stop.code, stop.all).toBe(0);
    expect(await state()).toBe("exited");
    const start = await sextant("accessory", "start", "redis");
    expect(start.code, start.all).toBe(0);
    expect(await state()).toBe("running");
    const restart = await sextant("accessory", "restart", "redis");
    expect(restart.code, restart.all).toBe(0);
    expect(await state()).toBe("running");
    expect(await eventually(() => redis(address, "GET greeting", PASSWORD), "hello-from-sextant")).toBeTruthy();
  });

  test("accessory exec runs in a new container, or with --reuse in the running one", async () => {
    // The image's entrypoint is redis-server, so a new container's command is its arguments.
    const fresh = await sextant("accessory", "exec", "redis", "--", "--version");
    expect(fresh.code, fresh.all).toBe(0);
    expect(fresh.stdout).toMatch(new RegExp(`^App Host: ${address.replaceAll(".", "\\.")}\\nRedis server v=\\d+\\.\\d+\\.\\d+ `));

    const reuse = await sextant("accessory", "exec", "--reuse", "redis", "/usr/bin/redis-server --version");
    expect(reuse.code, reuse.all).toBe(0);
    expect(reuse.stdout).toMatch(/Redis server v=\d+\.\d+\.\d+ /);
    const raw = await sextant("accessory", "exec", "--reuse", "--raw", "redis", "/usr/bin/redis-server --version");
    expect(raw.code, raw.all).toBe(0);
    expect(raw.stdout).toMatch(/^Redis server v=\d+\.\d+\.\d+ [^\n]*$/);
    // Only the running container exists: the one-off one removed itself.
    expect(await on(`docker ps --all --filter label=service=${CONTAINER} --format '{{.Names}}'`)).toBe(CONTAINER);
    expect(await on(`cat .kamal/${SERVICE}-audit.log`)).toContain("Executed cmd '/usr/bin/redis-server --version' on redis accessory");
  });

  test("accessory logs (plain, grep, follow) and details show the running redis", async () => {
    const logs = await sextant("accessory", "logs", "redis", "--lines", "50");
    expect(logs.code, logs.all).toBe(0);
    expect(logs.all).toContain("Ready to accept connections");

    const grep = await sextant("accessory", "logs", "redis", "--grep", "Ready to accept");
    expect(grep.code, grep.all).toBe(0);
    expect(grep.all).toContain("Ready to accept connections");
    expect(grep.all).not.toContain("Server initialized");

    // -f streams until interrupted: the existing lines arrive, then Ctrl-C ends it.
    const follow = execa(process.execPath, [cli?.bin ?? "", "accessory", "logs", "redis", "-f"], {
      cwd: dir, reject: false, all: true, env: { DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1" },
    });
    let streamed = "";
    follow.all?.on("data", (chunk: Buffer) => (streamed += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (!streamed.includes("Ready to accept connections") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    follow.kill("SIGINT");
    await follow;
    expect(streamed).toContain("Following logs on");
    expect(streamed).toContain("Ready to accept connections");

    const details = await sextant("accessory", "details", "redis");
    expect(details.code, details.all).toBe(0);
    expect(details.stdout).toContain(`Accessory redis Host: ${address}`);
    expect(details.stdout).toContain(CONTAINER);
  });

  test("accessory remove leaves no container, no image and no ~/<service> directory", async () => {
    const run = await sextant("accessory", "remove", "redis", "-y");
    expect(run.code, run.all).toBe(0);
    expect(await on(`docker ps --all --filter label=service=${CONTAINER} --quiet`)).toBe("");
    expect(await on(`docker image ls --quiet ${lab.images.redis}`)).toBe("");
    expect(await on(`test -e ${CONTAINER} && echo left || echo gone`)).toBe("gone");
    expect(await on(`test -e .kamal/lock-${SERVICE} && echo held || echo free`)).toBe("free");
  });
});
