import { describe, expect, test } from "vitest";
import * as app from "../../src/flows/app-remove.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

// 1.1.1.2 runs both roles, so `-r web` removes its images and directories only where web is the only role.
const YAML = `service: app
image: dhh/app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers:
    hosts: [1.1.1.2, 1.1.1.3]
    cmd: bin/jobs
registry:
  username: u
  password: [REGISTRY_PASSWORD]
builder:
  arch: amd64
`;
const config = () => configFromYaml(YAML, { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });

const sent = (lines: string[]) => lines.filter((l) => !l.includes("-audit.log") && !l.includes(".kamal/lock-app") && l !== "/usr/bin/env mkdir -p .kamal");

const IMAGES = "docker image prune --all --force --filter label=service=app";
const DIRECTORIES = ["/usr/bin/env rm -r .kamal/apps/app", "/usr/bin/env rm -r .kamal/proxy/apps-config/app"];

describe("app remove steps", () => {
  test("remove_container VERSION removes that version's container of each role on the host", async () => {
    const { ctx, recorder } = testContext(config());
    await app.removeContainer(ctx, "1234567");
    expect(sent(recorder.commands("1.1.1.2"))).toEqual([
      "docker container ls --all --filter 'name=^app-web-1234567$' --quiet | xargs docker container rm",
      "docker container ls --all --filter 'name=^app-workers-1234567$' --quiet | xargs docker container rm",
    ]);
    expect(recorder.commands().filter((l) => l.includes("Removed app container with version 1234567"))).toHaveLength(4);
  });

  test("remove_containers prunes the stopped containers of each selected role", async () => {
    const { ctx, recorder } = testContext(config(), { select: { roles: "workers" } });
    await app.removeContainers(ctx);
    expect(sent(recorder.commands("1.1.1.3"))).toEqual(["docker container prune --force --filter label=service=app --filter label=destination= --filter label=role=workers"]);
    expect(recorder.commands("1.1.1.1")).toEqual([]);
  });

  test("remove_images and remove_app_directories touch only hosts where every role is selected", async () => {
    const images = testContext(config(), { select: { roles: "web" } });
    await app.removeImages(images.ctx);
    expect(sent(images.recorder.commands("1.1.1.1"))).toEqual([IMAGES]);
    expect(sent(images.recorder.commands("1.1.1.2"))).toEqual([]);

    const directories = testContext(config());
    await app.removeAppDirectories(directories.ctx);
    for (const host of ["1.1.1.1", "1.1.1.2", "1.1.1.3"]) expect(sent(directories.recorder.commands(host))).toEqual(DIRECTORIES);
  });

  test("remove stops, prunes containers, then images and directories in one script per whole host", async () => {
    const { ctx, recorder } = testContext(config());
    await app.remove(ctx);
    const host = sent(recorder.commands("1.1.1.3"));
    expect(host.slice(-4)).toEqual(["docker container prune --force --filter label=service=app --filter label=destination= --filter label=role=workers", IMAGES, ...DIRECTORIES]);
    expect(host.findIndex((l) => l.includes("xargs docker stop"))).toBeLessThan(host.length - 4);
  });
});
