import { describe, expect, test } from "vitest";
import { Recorder } from "../../src/exec/recorder.ts";
import { buildDev } from "../../src/flows/build-dev.ts";
import { builderDetails, createBuilder, removeBuilder } from "../../src/flows/builder-setup.ts";
import { builderHostConfig } from "../../src/flows/remote-builder.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const config = (builder = "  arch: amd64\n") => configFromYaml(`service: app
image: dhh/app
servers: [1.1.1.1, 1.1.1.2]
registry:
  username: user
  password: [PW]
builder:
${builder}`, { version: "999", secrets: { PW: "pw" } });
const ofType = (events: readonly { type: string }[], type: string) => events.filter((e) => e.type === type);

describe("build create", () => {
  test("runs `true` on an ssh:// remote builder's host, dialled as its URL says, before creating the builder", async () => {
    const builderHost = new Recorder();
    const opened: unknown[] = [];
    const { ctx, recorder } = testContext(config("  arch: arm64\n  remote: ssh://app@1.1.1.5\n"));
    expect(await createBuilder(ctx, async (host) => (opened.push(host), builderHost))).toBe(true);
    expect(opened).toEqual([{ host: "1.1.1.5", user: "app", port: undefined }]);
    expect(builderHost.commands()).toEqual(["/usr/bin/env true"]);
    expect(recorder.commands("local")).toEqual([
      "docker context create kamal-remote-ssh---app-1-1-1-5-context --description 'kamal-remote-ssh---app-1-1-1-5 host' --docker 'host=ssh://app@1.1.1.5' ; docker buildx create --name kamal-remote-ssh---app-1-1-1-5 kamal-remote-ssh---app-1-1-1-5-context",
    ]);
  });

  test("an unreachable builder host stops before anything is created", async () => {
    const builderHost = new Recorder({ answers: [{ match: "true", result: { code: 255, stderr: "connection refused" } }] });
    const { ctx, recorder } = testContext(config("  arch: arm64\n  remote: ssh://app@1.1.1.5\n"));
    await expect(createBuilder(ctx, async () => builderHost)).rejects.toThrow("connection refused");
    expect(recorder.commands("local")).toEqual([]);
  });

  test("a tcp:// remote builder is not checked over SSH", async () => {
    const { ctx } = testContext(config("  arch: arm64\n  remote: tcp://1.1.1.5:2375\n"));
    let opened = false;
    await createBuilder(ctx, async () => ((opened = true), new Recorder()));
    expect(opened).toBe(false);
  });

  test("reports a failed creation with docker's words and carries on, as Kamal does", async () => {
    const { ctx, report } = testContext(config(), { answers: [{ match: /^docker /, result: { code: 1, stderr: "error\n" } }] });
    expect(await createBuilder(ctx)).toBe(false);
    expect(ofType(report.events, "warn")).toMatchObject([{ message: "Couldn't create remote builder: error" }]);
  });

  test("remove drops the builder", async () => {
    const { ctx, recorder } = testContext(config());
    await removeBuilder(ctx);
    expect(recorder.commands("local")).toEqual(["docker buildx rm kamal-local-docker-container"]);
  });
});

test("build details names the builder kind and prints docker's contexts and builders", async () => {
  const { ctx, recorder, report } = testContext(config(), { answers: [{ match: "docker context ls && docker buildx ls", result: { stdout: "docker builder info\n" } }] });
  await builderDetails(ctx);
  expect(recorder.commands("local")).toEqual(["docker context ls && docker buildx ls"]);
  expect(ofType(report.events, "result")).toMatchObject([{ text: "Builder: local\ndocker builder info" }]);
});

describe("build dev", () => {
  const BUILD = "docker buildx build --output=type=docker --platform linux/amd64 --builder kamal-local-docker-container -t dhh/app:999-dirty -t dhh/app:latest-dirty --label service=\"app\" --file Dockerfile . 2>&1";

  test("builds the working tree as it is, tagged dirty, into the local image store", async () => {
    const { ctx, recorder } = testContext(config());
    await buildDev(ctx);
    expect(recorder.commands("local")).toEqual([
      "docker --version && docker buildx version",
      "/usr/bin/env git ls-files --modified",
      "/usr/bin/env git ls-files --others",
      BUILD,
    ]);
  });

  test("takes --output and --no-cache", async () => {
    const { ctx, recorder } = testContext(config());
    await buildDev(ctx, { output: "local", noCache: true });
    expect(recorder.commands("local").at(-1)).toBe(BUILD.replace("type=docker", "type=local").replace(" . 2>&1", " --no-cache . 2>&1"));
  });

  test("names the uncommitted and untracked files the build context holds", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [
        { match: "git ls-files --modified", result: { stdout: "app.rb\nignored.log\n" } },
        { match: "git ls-files --others", result: { stdout: "new.rb\n" } },
        { match: "docker run --rm kamal-local-build-check", result: { stdout: "app.rb\nnew.rb\nDockerfile\n" } },
      ],
    });
    await buildDev(ctx);
    const check = recorder.calls("local").find((c) => c.line === "docker buildx build --load -t=kamal-local-build-check -f=- .");
    expect(check?.stdin).toBe(true);
    expect(ofType(report.events, "warn")).toMatchObject([
      { message: "WARNING: Files with uncommitted changes will be present in the dev container:\n  app.rb" },
      { message: "WARNING: Untracked files will be present in the dev container:\n  new.rb" },
    ]);
    expect(recorder.commands("local").at(-1)).toBe(BUILD);
  });
});

test("build dev still builds when the build context cannot be listed, and says so", async () => {
  const { ctx, recorder, report } = testContext(config(), {
    answers: [
      { match: "git ls-files --others", result: { stdout: "new.rb\n" } },
      { match: "kamal-local-build-check -f=- .", result: { code: 1, stderr: "failed to resolve busybox" } },
    ],
  });
  await buildDev(ctx);
  expect(ofType(report.events, "warn")).toMatchObject([
    { message: "could not list the files of the build context, so not checking it for uncommitted files: failed to resolve busybox" },
  ]);
  expect(recorder.commands("local").at(-1)).toContain("-t dhh/app:999-dirty");
});

test("the builder host's config dials the URL's user and port, as if deploy.yml said so", () => {
  const base = config("  arch: arm64\n  remote: ssh://app@1.1.1.5:2122\n");
  const derived = builderHostConfig(base, { host: "1.1.1.5", user: "app", port: 2122 });
  expect([derived.ssh.user, derived.ssh.port, derived.raw.ssh]).toEqual(["app", 2122, { user: "app", port: 2122 }]);
  expect(builderHostConfig(base, { host: "1.1.1.5", user: undefined, port: undefined }).ssh).toEqual(base.ssh);
});
