import { describe, expect, test } from "vitest";
import type { Shell } from "../../src/commands/shell.ts";
import { LogsNotFollowedError, SextantError } from "../../src/errors.ts";
import type { RunOptions } from "../../src/exec/executor.ts";
import { Recorder } from "../../src/exec/recorder.ts";
import { logs as accessoryLogs } from "../../src/flows/accessory.ts";
import { showLogs } from "../../src/flows/app.ts";
import { logs as proxyLogs } from "../../src/flows/proxy-commands.ts";
import type { Event } from "../../src/output/events.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

// 1.1.1.2 runs both roles; web (the primary role) runs behind kamal-proxy; redis runs on 1.1.1.1 and 1.1.1.3.
const YAML = `service: app
image: acme/app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers:
    hosts: [1.1.1.2, 1.1.1.3]
    cmd: bin/jobs
registry:
  username: u
  password: p
builder:
  arch: amd64
accessories:
  redis:
    image: redis:7
    hosts: [1.1.1.1, 1.1.1.3]
`;
const config = () => configFromYaml(YAML, { version: "42" });

const CURRENT = (role: string) =>
  `/usr/bin/env sh -c 'docker ps --latest --quiet --filter label=service=app --filter label=destination= --filter label=role=${role} --filter status=running --filter status=restarting --filter ancestor=$(docker image ls --filter reference=acme/app:latest --format '\\''{{.ID}}'\\'') ; docker ps --latest --quiet --filter label=service=app --filter label=destination= --filter label=role=${role} --filter status=running --filter status=restarting' | head -1`;

/** The `log` events, as `host name | line`. */
const logLines = (events: readonly Event[]) =>
  events.flatMap((e) => (e.type === "log" ? [`${e.host}${e.name ? ` ${e.name}` : ""} | ${e.line}`] : []));
const messages = (events: readonly Event[], type: "info" | "warn") =>
  events.flatMap((e) => (e.type === type ? [`${e.host ? `[${e.host}] ` : ""}${e.message}`] : []));

/**
 * Hosts as sshd would serve them: each followed command prints its scripted lines, then keeps running until
 * aborted (Ctrl-C), as `docker logs --follow` does; `unreachable` cannot be connected to.
 */
class FollowedHosts extends Recorder {
  readonly #unreachable: string | undefined;
  readonly started: string[] = [];
  constructor(opts: { unreachable?: string; lines?: Record<string, string> }) {
    super({ answers: Object.entries(opts.lines ?? {}).map(([host, stdout]) => ({ host, match: "--follow", result: { stdout } })) });
    this.#unreachable = opts.unreachable;
  }
  override async follow(host: string, cmd: Shell, onLine: (line: string) => void, opts: RunOptions = {}): Promise<number> {
    if (host === this.#unreachable) throw new SextantError(`[${host}] could not connect: connect ETIMEDOUT`, { hint: "check the address" });
    await super.follow(host, cmd, onLine, opts);
    this.started.push(host);
    await new Promise((resolve) => opts.signal?.addEventListener("abort", resolve, { once: true }));
    return 255;
  }
}

function following(hosts: FollowedHosts, select = {}) {
  const controller = new AbortController();
  const { ctx, report } = testContext(config(), { select });
  return { ctx: { ...ctx, ex: hosts, signal: controller.signal }, report, interrupt: () => controller.abort() };
}

const until = async (ready: () => boolean) => {
  while (!ready()) await new Promise((r) => setTimeout(r, 1));
};

describe("app logs -f", () => {
  test("follows every selected host and role at once, each line labelled, until Ctrl-C ends them all", async () => {
    const hosts = new FollowedHosts({ lines: { "1.1.1.1": "w1 started\nw1 GET /\n", "1.1.1.2": "w2 started\n", "1.1.1.3": "" } });
    const { ctx, report, interrupt } = following(hosts);
    const run = showLogs(ctx, { follow: true });
    await until(() => hosts.started.length === 4);
    interrupt();
    await run;
    expect(hosts.calls().map((c) => `${c.kind} ${c.host} ${c.line}`)).toEqual([
      `follow 1.1.1.1 ${CURRENT("web")} | xargs docker logs --timestamps --tail 10 --follow 2>&1`,
      `follow 1.1.1.2 ${CURRENT("web")} | xargs docker logs --timestamps --tail 10 --follow 2>&1`,
      `follow 1.1.1.2 ${CURRENT("workers")} | xargs docker logs --timestamps --tail 10 --follow 2>&1`,
      `follow 1.1.1.3 ${CURRENT("workers")} | xargs docker logs --timestamps --tail 10 --follow 2>&1`,
    ]);
    expect(logLines(report.events)).toEqual([
      "1.1.1.1 web | w1 started",
      "1.1.1.1 web | w1 GET /",
      "1.1.1.2 web | w2 started",
      "1.1.1.2 workers | w2 started",
    ]);
    expect(messages(report.events, "info")).toEqual(["Following logs on 1.1.1.1, 1.1.1.2, 1.1.1.3..."]);
    expect(messages(report.events, "warn")).toEqual([]);
  });

  test("--roles and --hosts narrow what is followed; --grep is sent in double quotes, as Kamal's ssh -t line has it", async () => {
    const hosts = new FollowedHosts({});
    const { ctx, interrupt } = following(hosts, { roles: "workers", hosts: "1.1.1.3" });
    const run = showLogs(ctx, { follow: true, grep: "GET", grepOptions: "-i" });
    await until(() => hosts.started.length === 1);
    interrupt();
    await run;
    expect(hosts.commands()).toEqual([`${CURRENT("workers")} | xargs docker logs --timestamps --follow 2>&1 | grep "GET" -i`]);
    expect(hosts.hosts()).toEqual(["1.1.1.3"]);
  });

  test("--container-id follows one stream on the primary host: the id names one container", async () => {
    const hosts = new FollowedHosts({});
    const { ctx, report, interrupt } = following(hosts, { hosts: "1.1.1.2,1.1.1.1" });
    const run = showLogs(ctx, { follow: true, containerId: "c0ffee", lines: 5, skipTimestamps: true });
    await until(() => hosts.started.length === 1);
    interrupt();
    await run;
    expect(hosts.calls().map((c) => `${c.host} ${c.line}`)).toEqual(["1.1.1.2 /usr/bin/env sh -c 'echo c0ffee' | xargs docker logs --tail 5 --follow 2>&1"]);
    expect(messages(report.events, "info")).toEqual(["Following logs on 1.1.1.2..."]);
  });

  test("a host that cannot be reached gets one warning while the others stream on, and the run still fails after Ctrl-C", async () => {
    const hosts = new FollowedHosts({ unreachable: "1.1.1.2", lines: { "1.1.1.1": "w1 started\n" } });
    const { ctx, report, interrupt } = following(hosts, { roles: "web" });
    const run = showLogs(ctx, { follow: true }).catch((err: unknown) => err);
    await until(() => hosts.started.length === 1);
    interrupt();
    const err = await run;
    expect(logLines(report.events)).toEqual(["1.1.1.1 web | w1 started"]);
    expect(messages(report.events, "warn")).toEqual(["[1.1.1.2] web: could not connect: connect ETIMEDOUT"]);
    expect(err).toBeInstanceOf(LogsNotFollowedError);
    expect((err as LogsNotFollowedError).message).toBe("[1.1.1.2] could not connect: connect ETIMEDOUT");
    expect((err as LogsNotFollowedError).exitCode).toBe(1);
  });

  test("a command that fails (no running container) is named with its exit code and a way to check", async () => {
    const { ctx, report } = testContext(config(), {
      select: { roles: "web" },
      answers: [{ host: "1.1.1.2", match: "--follow", result: { code: 123, stdout: "\"docker logs\" requires exactly 1 argument.\n" } }],
    });
    const err = await showLogs(ctx, { follow: true }).catch((e: unknown) => e);
    expect(logLines(report.events)).toEqual(['1.1.1.2 web | "docker logs" requires exactly 1 argument.']);
    expect(messages(report.events, "info")).toEqual(["Following logs on 1.1.1.1, 1.1.1.2...", "[1.1.1.1] web: the log ended"]);
    expect(messages(report.events, "warn")).toEqual(["[1.1.1.2] web: the log command exited 123"]);
    expect(err).toBeInstanceOf(LogsNotFollowedError);
    expect((err as SextantError).hint).toBe("check that the container runs there: `sextant details -h 1.1.1.2` (-v shows the command)");
  });

  test("a dry run plans each host's command and says nothing ended", async () => {
    const { ctx, report } = testContext(config(), { flags: { dryRun: true } });
    await showLogs(ctx, { follow: true });
    expect(messages(report.events, "info")).toEqual(["Following logs on 1.1.1.1, 1.1.1.2, 1.1.1.3..."]);
  });
});

describe("accessory logs -f and proxy logs -f", () => {
  test("follow the accessory on each of its selected hosts", async () => {
    const hosts = new FollowedHosts({ lines: { "1.1.1.3": "Ready to accept connections\n" } });
    const { ctx, report, interrupt } = following(hosts);
    const run = accessoryLogs(ctx, "redis", { follow: true, grep: "Ready" });
    await until(() => hosts.started.length === 2);
    interrupt();
    await run;
    expect(hosts.calls().map((c) => `${c.host} ${c.line}`)).toEqual([
      `1.1.1.1 docker logs app-redis --timestamps --tail 10 --follow 2>&1 | grep "Ready"`,
      `1.1.1.3 docker logs app-redis --timestamps --tail 10 --follow 2>&1 | grep "Ready"`,
    ]);
    expect(logLines(report.events)).toEqual(["1.1.1.3 redis | Ready to accept connections"]);
  });

  test("follow kamal-proxy on every proxy host of the selection", async () => {
    const hosts = new FollowedHosts({});
    const { ctx, interrupt } = following(hosts);
    const run = proxyLogs(ctx, { follow: true, skipTimestamps: true });
    await until(() => hosts.started.length === 2);
    interrupt();
    await run;
    expect(hosts.calls().map((c) => `${c.host} ${c.line}`)).toEqual([
      "1.1.1.1 docker logs kamal-proxy --tail 10 --follow 2>&1",
      "1.1.1.2 docker logs kamal-proxy --tail 10 --follow 2>&1",
    ]);
  });
});

describe("logs --merge", () => {
  const answers = [
    { host: "1.1.1.1", match: "role=web", result: { stdout: "2026-01-02T03:04:05.000000002Z w1 b\n2026-01-02T03:04:05.000000000Z w1 a\n" } },
    { host: "1.1.1.2", match: "role=web", result: { stdout: "2026-01-02T03:04:05.000000001Z w2 a\n" } },
    { host: "1.1.1.2", match: "role=workers", result: { code: 1 } },
  ];

  test("prints every host's lines in time order, labelled, and Nothing found for a host whose command failed", async () => {
    const { ctx, report, recorder } = testContext(config(), { answers, select: { hosts: "1.1.1.1,1.1.1.2" } });
    await showLogs(ctx, { merge: true });
    expect(logLines(report.events)).toEqual([
      "1.1.1.1 web | 2026-01-02T03:04:05.000000000Z w1 a",
      "1.1.1.2 web | 2026-01-02T03:04:05.000000001Z w2 a",
      "1.1.1.1 web | 2026-01-02T03:04:05.000000002Z w1 b",
    ]);
    expect(messages(report.events, "info")).toEqual(["[1.1.1.2] workers: Nothing found"]);
    expect(recorder.commands("1.1.1.1")).toEqual([`${CURRENT("web")} | xargs docker logs --timestamps --tail 100 2>&1`]);
  });

  test("-T still asks docker for timestamps, to order by them, and prints the lines without", async () => {
    const { ctx, report, recorder } = testContext(config(), { answers, select: { roles: "web" } });
    await showLogs(ctx, { merge: true, skipTimestamps: true, since: "5m" });
    expect(logLines(report.events)).toEqual(["1.1.1.1 web | w1 a", "1.1.1.2 web | w2 a", "1.1.1.1 web | w1 b"]);
    expect(recorder.commands("1.1.1.2")).toEqual([`${CURRENT("web")} | xargs docker logs --timestamps --since 5m 2>&1`]);
  });

  test("accessory and proxy logs merge their hosts too", async () => {
    const lines = [
      { host: "1.1.1.1", match: "docker logs", result: { stdout: "2026-01-02T03:04:06Z one\n" } },
      { host: "1.1.1.3", match: "docker logs", result: { stdout: "2026-01-02T03:04:05Z three\n" } },
    ];
    const accessory = testContext(config(), { answers: lines });
    await accessoryLogs(accessory.ctx, "redis", { merge: true, lines: 3 });
    expect(logLines(accessory.report.events)).toEqual(["1.1.1.3 redis | 2026-01-02T03:04:05Z three", "1.1.1.1 redis | 2026-01-02T03:04:06Z one"]);
    expect(accessory.recorder.commands("1.1.1.3")).toEqual(["docker logs app-redis  --tail 3 --timestamps 2>&1"]);

    const proxy = testContext(config(), { answers: [{ host: "1.1.1.2", match: "docker logs", result: { stdout: "2026-01-02T03:04:04Z two\n" } }, ...lines] });
    await proxyLogs(proxy.ctx, { merge: true });
    expect(logLines(proxy.report.events)).toEqual(["1.1.1.2 | 2026-01-02T03:04:04Z two", "1.1.1.1 | 2026-01-02T03:04:06Z one"]);
  });
});
