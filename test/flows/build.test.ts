import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { basename } from "node:path";
import { describe, expect, test } from "vitest";
import { Recorder, type Answer } from "../../src/exec/recorder.ts";
import { buildPull, buildPush, deliver } from "../../src/flows/build.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const yaml = (builder = "  arch: amd64\n", servers = "[1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4]") => `service: app
image: dhh/app
servers: ${servers}
registry:
  username: user
  password: [PW]
builder:
${builder}`;
const config = (builder?: string, servers?: string) => configFromYaml(yaml(builder, servers), { version: "999", secrets: { PW: "pw" } });
const messages = (events: readonly { type: string }[], type: string) =>
  events.flatMap((e) => (e.type === type ? [(e as { message?: string; title?: string }).message ?? (e as { title?: string }).title ?? ""] : []));

// The clone paths Kamal derives from the working directory (kamal configuration/builder.rb `clone_directory`).
const cwd = process.cwd();
const cloneDirectory = `${tmpdir()}/kamal-clones/app-${createHash("sha256").update(cwd).digest("hex").slice(0, 13)}`;
const buildDirectory = `${cloneDirectory}/${basename(cwd)}`;
const GIT_ROOT: Answer = { match: "git rev-parse --show-toplevel", result: { stdout: `${cwd}\n` } };
const HEAD: Answer = { match: /^\/usr\/bin\/env git rev-parse HEAD$/, result: { stdout: "abc123\n" } };
const CLONE_HEAD: Answer = { match: `git -C ${buildDirectory} rev-parse HEAD`, result: { stdout: "abc123\n" } };
const ALREADY_THERE: Answer = {
  match: / clone .* --recurse-submodules$/,
  result: { code: 128, stderr: "fatal: destination path 'main' already exists and is not an empty directory." },
  times: 1,
};

describe("build push", () => {
  test("clones HEAD into the build directory and builds there", async () => {
    const { ctx, recorder, report } = testContext(config(), { answers: [GIT_ROOT, HEAD, CLONE_HEAD] });
    await buildPush(ctx);
    const local = recorder.commands("local");
    expect(local).toContain(`/usr/bin/env git -C ${cloneDirectory} clone ${cwd} --recurse-submodules`);
    expect(local.some((l) => l.includes(" reset --hard "))).toBe(false);
    expect(messages(report.events, "info")).toContain(`Cloning repo into build directory \`${buildDirectory}\`...`);
    expect(local.at(-1)).toBe(
      'docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container -t dhh/app:999 -t dhh/app:latest --label service="app" --file Dockerfile . 2>&1',
    );
  });

  test("resets the clone only when git says it already exists", async () => {
    const { ctx, recorder, report } = testContext(config(), { answers: [ALREADY_THERE, GIT_ROOT, HEAD, CLONE_HEAD] });
    await buildPush(ctx);
    const local = recorder.commands("local");
    const cloneAt = local.findIndex((l) => l.endsWith("--recurse-submodules"));
    expect(local.slice(cloneAt + 1, cloneAt + 7)).toEqual([
      `/usr/bin/env git -C ${buildDirectory} remote set-url origin ${cwd}`,
      `/usr/bin/env git -C ${buildDirectory} fetch origin`,
      `/usr/bin/env git -C ${buildDirectory} reset --hard abc123`,
      `/usr/bin/env git -C ${buildDirectory} clean -fdx`,
      `/usr/bin/env git -C ${buildDirectory} submodule update --init`,
      `/usr/bin/env git -C ${buildDirectory} gc --auto --quiet`,
    ]);
    expect(messages(report.events, "info")).toEqual([
      `Cloning repo into build directory \`${buildDirectory}\`...`,
      `Resetting local clone as \`${buildDirectory}\` already exists...`,
    ]);
  });

  test("deletes a clone that cannot be reset and clones again", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [ALREADY_THERE, { match: "remote set-url", result: { code: 128, stderr: "fatal: not a git repository" } }, GIT_ROOT, HEAD, CLONE_HEAD],
    });
    await buildPush(ctx);
    expect(messages(report.events, "warn")).toEqual(["Error preparing clone: Failed to clone repo: fatal: not a git repository, deleting and retrying..."]);
    const local = recorder.commands("local");
    const removeAt = local.indexOf(`/usr/bin/env rm -rf ${cloneDirectory}`);
    expect(removeAt).toBeGreaterThan(-1);
    expect(local.slice(removeAt + 1, removeAt + 3)).toEqual([
      `/usr/bin/env mkdir -p ${cloneDirectory}`,
      `/usr/bin/env git -C ${cloneDirectory} clone ${cwd} --recurse-submodules`,
    ]);
  });

  test("a clone on another revision is deleted and cloned again", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [GIT_ROOT, HEAD, { match: `git -C ${buildDirectory} rev-parse HEAD`, result: { stdout: "old\n" }, times: 1 }, CLONE_HEAD],
    });
    await buildPush(ctx);
    expect(messages(report.events, "warn")).toEqual([
      `Error preparing clone: Clone in ${buildDirectory} is not on the correct revision, expected \`abc123\` but got \`old\`, deleting and retrying...`,
    ]);
    expect(recorder.commands("local").filter((l) => l.endsWith("--recurse-submodules"))).toHaveLength(2);
  });

  test("recreates a missing builder, saying so", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [{ match: /^docker buildx inspect /, result: { code: 1, stderr: "ERROR: no builder \"kamal-local-docker-container\" found" } }],
    });
    await buildPush(ctx);
    expect(messages(report.events, "warn")).toEqual(["Missing compatible builder, so creating a new one first"]);
    const local = recorder.commands("local");
    const at = local.indexOf("docker buildx inspect kamal-local-docker-container");
    expect(local.slice(at + 1, at + 3)).toEqual([
      "docker buildx rm kamal-local-docker-container",
      "docker buildx create --name kamal-local-docker-container --driver=docker-container",
    ]);
  });

  test("stops on a builder inspection failure it does not recognise", async () => {
    const { ctx } = testContext(config(), { answers: [{ match: /^docker buildx inspect /, result: { code: 1, stderr: "permission denied" } }] });
    await expect(buildPush(ctx)).rejects.toThrow("could not inspect the buildx builder: permission denied");
  });

  test("a remote builder's push carries BUILDKIT_NO_CLIENT_TOKEN on its line, as SSHKit prints it", async () => {
    const { ctx, recorder } = testContext(config("  arch: arm64\n  remote: ssh://app@1.1.1.5\n"));
    await buildPush(ctx);
    expect(recorder.commands("local").at(-1)).toBe(
      '( export BUILDKIT_NO_CLIENT_TOKEN="1" ; docker buildx build --output=type=registry --platform linux/arm64 --builder kamal-remote-ssh---app-1-1-1-5 -t dhh/app:999 -t dhh/app:latest --label service="app" --file Dockerfile . 2>&1 )',
    );
  });

  test("reaches the remote builder's host before creating a missing builder", async () => {
    const builderHost = new Recorder();
    const opened: unknown[] = [];
    const { ctx, recorder } = testContext(config("  arch: arm64\n  remote: ssh://app@1.1.1.5:2122\n"), {
      answers: [{ match: "no compatible builder", result: { code: 1, stdout: "no compatible builder" } }],
    });
    await buildPush(ctx, { openBuilderHost: async (host) => (opened.push(host), builderHost) });
    expect(opened).toEqual([{ host: "1.1.1.5", user: "app", port: 2122 }]);
    expect(builderHost.commands("1.1.1.5")).toEqual(["/usr/bin/env true"]);
    expect(recorder.commands("local").some((l) => l.startsWith("docker context create kamal-remote-ssh---app-1-1-1-5-2122-context"))).toBe(true);
  });
});

describe("build pull", () => {
  const MIRROR = "docker info --format '{{index .RegistryConfig.Mirrors 0}}'";
  const PULL = "docker pull dhh/app:999";
  const pulledOn = (recorder: Recorder) => recorder.hosts().filter((h) => recorder.commands(h).includes(PULL));

  test("without mirrors: asks every host for its first mirror, then pulls everywhere", async () => {
    const { ctx, recorder, report } = testContext(config(), {
      answers: [{ match: MIRROR, result: { code: 1, stderr: 'template: :1:2: executing "" at <index .RegistryConfig.Mirrors 0>: error calling index: reflect: slice index out of range' } }],
    });
    await buildPull(ctx);
    expect(recorder.commands("1.1.1.1")).toEqual([
      "docker login -u [REDACTED] --password-stdin",
      MIRROR,
      expect.stringContaining("Pulled image with version 999"),
      "docker image rm --force dhh/app:999",
      PULL,
      "docker inspect -f '{{ .Config.Labels.service }}' dhh/app:999 | grep -x app || (echo \"Image dhh/app:999 is missing the 'service' label\" && exit 1)",
    ]);
    expect(pulledOn(recorder)).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]);
    expect(messages(report.events, "step.start")).toEqual([]);
  });

  test("with one mirror: pulls on one host first to seed it", async () => {
    const { ctx, recorder, report } = testContext(config(), { answers: [{ match: MIRROR, result: { stdout: "registry-mirror.example.com\n" } }] });
    await buildPull(ctx);
    expect(messages(report.events, "step.start")).toEqual(["Pulling image on 1.1.1.1 to seed the mirror...", "Pulling image on remaining hosts..."]);
    const calls = recorder.calls().filter((c) => c.line === PULL).map((c) => c.host);
    expect(calls[0]).toBe("1.1.1.1");
    expect(calls.sort()).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]);
  });

  test("with two mirrors: seeds each on the first host behind it", async () => {
    const { ctx, report } = testContext(config(), {
      answers: [
        { match: MIRROR, host: "1.1.1.3", result: { stdout: "mirror-b" } },
        { match: MIRROR, result: { stdout: "mirror-a" } },
      ],
    });
    await buildPull(ctx);
    expect(messages(report.events, "step.start")).toEqual(["Pulling image on 1.1.1.1, 1.1.1.3 to seed the mirrors...", "Pulling image on remaining hosts..."]);
  });

  test("a single host is not asked about mirrors", async () => {
    const { ctx, recorder } = testContext(config(undefined, "[1.1.1.1]"));
    await buildPull(ctx);
    expect(recorder.commands("1.1.1.1")).not.toContain(MIRROR);
  });

  test("other failures to read the mirrors stop the pull", async () => {
    const { ctx, recorder } = testContext(config(), { answers: [{ match: MIRROR, host: "1.1.1.2", result: { code: 1, stderr: "Cannot connect to the Docker daemon" } }] });
    await expect(buildPull(ctx)).rejects.toThrow("[1.1.1.2] could not read the registry mirrors: Cannot connect to the Docker daemon");
    expect(recorder.commands().includes(PULL)).toBe(false);
  });
});

describe("build deliver", () => {
  /** A Recorder that also notes when connections were asked for, by how many local commands had run by then. */
  class ConnectingRecorder extends Recorder {
    readonly connected: { hosts: string[]; afterLocalCommands: number }[] = [];
    connect(hosts: readonly string[]): void {
      this.connected.push({ hosts: [...hosts], afterLocalCommands: this.commands("local").length });
    }
  }

  test("starts connecting to the app hosts before the build, so the handshakes overlap it", async () => {
    const { ctx } = testContext(config());
    const ex = new ConnectingRecorder({ answers: [GIT_ROOT, HEAD, CLONE_HEAD] });
    await deliver({ ...ctx, ex }, {});
    expect(ex.connected).toEqual([{ hosts: ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"], afterLocalCommands: 0 }]);
    expect(ex.commands("local").at(-1)).toContain("docker buildx build ");
    expect(ex.commands("1.1.1.1")).toContain("docker pull dhh/app:999");
  });
});
