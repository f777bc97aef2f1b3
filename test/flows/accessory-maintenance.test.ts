import { describe, expect, test } from "vitest";
import * as maintenance from "../../src/flows/accessory-maintenance.ts";
import type { Event } from "../../src/output/events.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const YAML = `service: app
image: dhh/app
servers: [1.1.1.1, 1.1.1.2]
registry:
  username: u
  password: [REGISTRY_PASSWORD]
builder:
  arch: amd64
accessories:
  mysql:
    image: mysql:8.0
    host: 1.1.1.3
    directories: [data:/var/lib/mysql]
  redis:
    image: redis:7
    hosts: [1.1.1.1, 1.1.1.2]
`;
const config = () => configFromYaml(YAML, { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });

const LOCK_RELEASE = "/usr/bin/env rm .kamal/lock-app/details && rm -r .kamal/lock-app";
/** A host's commands without the audit-log lines, which carry a timestamp and a performer. */
const sent = (lines: string[]) => lines.filter((l) => !l.includes("-audit.log"));

describe("accessory maintenance steps", () => {
  test("remove_container prunes the accessory's stopped container on its hosts only, under the lock", async () => {
    const { ctx, recorder } = testContext(config());
    await maintenance.removeContainer(ctx, "mysql");
    expect(sent(recorder.commands("1.1.1.3"))).toEqual(["/usr/bin/env mkdir -p .kamal", "docker container prune --force --filter label=service=app-mysql"]);
    expect(recorder.commands("1.1.1.1").at(-1)).toBe(LOCK_RELEASE);
    expect(recorder.commands("1.1.1.1").some((l) => l.includes("prune"))).toBe(false);
  });

  test("pull_image, remove_image and remove_service_directory each send their one command, with `all` meaning every accessory", async () => {
    const pulled = testContext(config());
    await maintenance.pullImage(pulled.ctx, "all");
    expect(pulled.recorder.commands("1.1.1.3")).toContain("docker image pull mysql:8.0");
    expect(pulled.recorder.commands("1.1.1.2")).toContain("docker image pull redis:7");

    const image = testContext(config());
    await maintenance.removeImage(image.ctx, "redis");
    expect(sent(image.recorder.commands("1.1.1.2"))).toEqual(["/usr/bin/env mkdir -p .kamal", "docker image rm --force redis:7"]);

    const directory = testContext(config());
    await maintenance.removeServiceDirectory(directory.ctx, "mysql");
    expect(sent(directory.recorder.commands("1.1.1.3"))).toEqual(["/usr/bin/env mkdir -p .kamal", "/usr/bin/env rm -rf app-mysql"]);
  });

  test("an unknown name fails before the lock is taken", async () => {
    const { ctx, recorder } = testContext(config());
    await expect(maintenance.removeImage(ctx, "postgres")).rejects.toThrow("No accessory by the name of 'postgres' (options: mysql and redis)");
    expect(recorder.calls()).toEqual([]);
  });

  test("remove stops, then removes container, image and directory accessory by accessory", async () => {
    const { ctx, recorder } = testContext(config());
    await maintenance.remove(ctx, "all");
    expect(sent(recorder.commands("1.1.1.3"))).toEqual([
      "/usr/bin/env mkdir -p .kamal",
      "docker container stop app-mysql",
      "docker container prune --force --filter label=service=app-mysql",
      "docker image rm --force mysql:8.0",
      "/usr/bin/env rm -rf app-mysql",
    ]);
    const web = sent(recorder.commands("1.1.1.2"));
    expect(web.indexOf("docker container stop app-redis")).toBeLessThan(web.indexOf("docker image rm --force redis:7"));
  });
});

describe("accessory upgrade", () => {
  const steps = (events: readonly Event[]) => events.flatMap((e) => (e.type === "step.start" ? [e.title] : []));

  test("reboots the accessories on all accessory hosts at once, under one lock", async () => {
    const { ctx, recorder, report } = testContext(config());
    await maintenance.upgrade(ctx, "all", false);
    expect(steps(report.events).filter((t) => t.includes("ccessories"))).toEqual([
      "Upgrading all accessories on 1.1.1.3,1.1.1.1,1.1.1.2...",
      "Upgraded all accessories on 1.1.1.3,1.1.1.1,1.1.1.2...",
    ]);
    expect(sent(recorder.commands("1.1.1.3")).slice(1)).toEqual([
      "docker login -u [REDACTED] --password-stdin",
      "docker network create kamal",
      "docker image pull mysql:8.0",
      "docker container stop app-mysql",
      "docker container prune --force --filter label=service=app-mysql",
      "docker ps -a -q --filter label=service=app-mysql",
      "/usr/bin/env mkdir -p $PWD/app-mysql/data",
      "/usr/bin/env mkdir -p .kamal/apps/app/env/accessories",
      "upload 0600 .kamal/apps/app/env/accessories/mysql.env",
      "docker run --name app-mysql --detach --restart unless-stopped --network kamal --log-opt max-size=\"10m\" --env KAMAL_HOST=\"1.1.1.3\" --env-file .kamal/apps/app/env/accessories/mysql.env --volume $PWD/app-mysql/data:/var/lib/mysql --label service=\"app-mysql\" mysql:8.0",
    ]);
    expect(recorder.commands().filter((l) => l.startsWith("/usr/bin/env mkdir .kamal/lock-app"))).toHaveLength(1);
  });

  test("--rolling reboots one host at a time, each host's accessories before the next host's", async () => {
    const { ctx, recorder, report } = testContext(config());
    await maintenance.upgrade(ctx, "redis", true);
    expect(steps(report.events).filter((t) => t.includes("ccessories"))).toEqual([
      "Upgrading redis accessories on 1.1.1.3...", "Upgraded redis accessories on 1.1.1.3...",
      "Upgrading redis accessories on 1.1.1.1...", "Upgraded redis accessories on 1.1.1.1...",
      "Upgrading redis accessories on 1.1.1.2...", "Upgraded redis accessories on 1.1.1.2...",
    ]);
    const runs = recorder.calls().filter((c) => c.line.startsWith("docker run --name app-redis")).map((c) => c.host);
    expect(runs).toEqual(["1.1.1.1", "1.1.1.2"]);
    const firstRun = recorder.calls().findIndex((c) => c.line.startsWith("docker run --name app-redis"));
    const secondPull = recorder.calls().findIndex((c) => c.host === "1.1.1.2" && c.line === "docker image pull redis:7");
    expect(secondPull).toBeGreaterThan(firstRun);
    expect(recorder.commands("1.1.1.3").some((l) => l.includes("redis"))).toBe(false);
    expect(recorder.commands("1.1.1.1").at(-1)).toBe(LOCK_RELEASE);
  });
});
