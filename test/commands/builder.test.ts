import { describe, expect, it } from "vitest";
import * as builder from "../../src/commands/builder.ts";
import { canBuildWithoutBuildx } from "../../src/commands/builder-fallback.ts";
import { buildTarget, pushEnv, remoteBuilderHost } from "../../src/commands/builder-target.ts";
import { render } from "../../src/commands/shell.ts";
import { load } from "./fixtures.ts";

const withBuilder = (builderYaml: string, registryYaml = "  username: dhh\n  password: secret\n") => load(`service: app
image: dhh/app
registry:
${registryYaml}servers:
- 1.1.1.1
builder:
${builderYaml}`, { version: "123", secrets: { token_a: "foo", GITHUB_TOKEN: "gh" } });
const TAGS = "-t dhh/app:123 -t dhh/app:latest";
const LABEL = '--label service="app"';
const LOCAL_REGISTRY = "  server: localhost:5000\n";

describe("build targets", () => {
  const cases: [string, string, string, string | undefined][] = [
    ["local by default", "  arch: amd64\n", "local", "kamal-local-docker-container"],
    ["the docker driver, no builder name", "  arch: amd64\n  driver: docker\n", "local", undefined],
    ["remote for a foreign arch", "  arch: arm64\n  remote: ssh://app@host\n", "remote", "kamal-remote-ssh---app-host"],
    ["local for the local arch despite a remote", "  arch: amd64\n  remote: ssh://app@host\n", "local", "kamal-local-docker-container"],
    ["hybrid for both", "  arch: [amd64, arm64]\n  remote: ssh://app@1.1.1.5:2122\n", "hybrid", "kamal-hybrid-docker-container-ssh---app-1-1-1-5-2122"],
    ["remote only with local: false", "  arch: [amd64, arm64]\n  remote: ssh://app@host\n  local: false\n", "remote", "kamal-remote-ssh---app-host"],
    ["pack", "  arch: amd64\n  pack:\n    builder: heroku/builder:24\n    buildpacks: [heroku/ruby]\n", "pack", undefined],
    ["cloud", "  arch: amd64\n  driver: cloud docker-org-name/builder-name\n", "cloud", "cloud-docker-org-name-builder-name"],
  ];
  for (const [name, yaml, kind, builderName] of cases) {
    it(`picks ${name}`, () => {
      const target = buildTarget(withBuilder(yaml), "amd64");
      expect([target.kind, target.name]).toEqual([kind, builderName]);
    });
  }
  it("names builders for a local registry", () => {
    expect(buildTarget(withBuilder("  arch: amd64\n", LOCAL_REGISTRY), "amd64").name).toBe("kamal-local-registry-docker-container");
    expect(buildTarget(withBuilder("  arch: arm64\n  remote: ssh://app@1.1.1.5\n", LOCAL_REGISTRY), "amd64").name)
      .toBe("kamal-remote-ssh---app-1-1-1-5-local-registry");
  });
  it("keeps the client token away from remote builders", () => {
    expect(pushEnv(buildTarget(withBuilder("  arch: arm64\n  remote: ssh://app@host\n"), "amd64"))).toEqual({ BUILDKIT_NO_CLIENT_TOKEN: "1" });
    expect(pushEnv(buildTarget(withBuilder("  arch: amd64\n"), "amd64"))).toEqual({});
  });
});

describe("builder.push", () => {
  const push = (yaml: string, opts: builder.PushOptions = {}, arch = "amd64") => {
    const config = withBuilder(yaml);
    return render(builder.push(config, buildTarget(config, arch), opts), true);
  };
  const cases: [string, string, builder.PushOptions, string][] = [
    ["every option in Kamal's order",
      "  arch: amd64\n  cache:\n    type: registry\n    options: mode=max\n  args:\n    RUBY: 3.3\n  secrets: [GITHUB_TOKEN]\n  dockerfile: Dockerfile.prod\n  target: prod\n  ssh: default=$SSH_AUTH_SOCK\n  provenance: mode=max\n  sbom: true\n  context: ./app\n",
      { noCache: true },
      `docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container ${TAGS} --cache-to type=registry,ref=dhh/app-build-cache,mode=max --cache-from type=registry,ref=dhh/app-build-cache ${LABEL} --build-arg RUBY="3.3" --secret id="GITHUB_TOKEN" --file Dockerfile.prod --target prod --ssh default=$SSH_AUTH_SOCK --provenance mode=max --sbom true --no-cache ./app 2>&1`],
    ["gha cache reading only its allowed options", "  arch: amd64\n  cache:\n    type: gha\n    options: mode=max,scope=app\n", {},
      `docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container ${TAGS} --cache-to type=gha,mode=max,scope=app --cache-from type=gha,scope=app ${LABEL} --file Dockerfile . 2>&1`],
    ["a dirty dev build to the local image store", "  arch: amd64\n", { output: "docker", tagAsDirty: true },
      `docker buildx build --output=type=docker --platform linux/amd64 --builder kamal-local-docker-container -t dhh/app:123-dirty -t dhh/app:latest-dirty ${LABEL} --file Dockerfile . 2>&1`],
    ["the docker driver without --builder", "  arch: amd64\n  driver: docker\n", {},
      `docker buildx build --output=type=registry --platform linux/amd64 ${TAGS} ${LABEL} --file Dockerfile . 2>&1`],
    ["a hybrid multiarch build", "  arch: [amd64, arm64]\n  remote: ssh://app@127.0.0.1\n", {},
      `docker buildx build --output=type=registry --platform linux/amd64,linux/arm64 --builder kamal-hybrid-docker-container-ssh---app-127-0-0-1 ${TAGS} ${LABEL} --file Dockerfile . 2>&1`],
    ["pack with args and secrets as env", "  arch: amd64\n  args:\n    a: 1\n  secrets: [token_a]\n  pack:\n    builder: heroku/builder:24\n    buildpacks: [heroku/ruby]\n", {},
      `pack build dhh/app --platform linux/amd64 --creation-time now --builder heroku/builder:24 --buildpack heroku/ruby --buildpack paketo-buildpacks/image-labels ${TAGS} --env BP_IMAGE_LABELS=service=app --env a="1" --env token_a="foo" --path . && docker push dhh/app:123 && docker push dhh/app:latest`],
    ["the fallback without buildx", "  arch: amd64\n  args:\n    a: 1\n  target: prod\n", { buildx: false },
      `docker build ${TAGS} ${LABEL} --build-arg a="1" -f Dockerfile --target prod . && docker push dhh/app:123 && docker push dhh/app:latest`],
    ["the fallback for a dev build, not pushed", "  arch: amd64\n", { buildx: false, output: "docker", tagAsDirty: true, noCache: true },
      `docker build -t dhh/app:123-dirty -t dhh/app:latest-dirty ${LABEL} -f Dockerfile --no-cache .`],
  ];
  for (const [name, yaml, opts, expected] of cases) it(`builds ${name}`, () => expect(push(yaml, opts)).toBe(expected));

  it("redacts pack's secret env values in logs", () => {
    const config = withBuilder("  arch: amd64\n  secrets: [token_a]\n  pack:\n    builder: heroku/builder:24\n    buildpacks: []\n");
    expect(render(builder.push(config, buildTarget(config, "amd64")))).toContain("--env token_a=[REDACTED] --path .");
  });

  it("allows the fallback only for plain local single-platform builds", () => {
    const allowed = (yaml: string) => { const c = withBuilder(yaml); return canBuildWithoutBuildx(c, buildTarget(c, "amd64")); };
    expect(allowed("  arch: amd64\n")).toBe(true);
    expect(allowed("  arch: [amd64, arm64]\n")).toBe(false);
    expect(allowed("  arch: amd64\n  cache:\n    type: gha\n")).toBe(false);
    expect(allowed("  arch: amd64\n  secrets: [token_a]\n")).toBe(false);
    expect(allowed("  arch: arm64\n  remote: ssh://app@host\n")).toBe(false);
  });
});

describe("builder setup", () => {
  const setup = (yaml: string, registryYaml?: string) => {
    const config = withBuilder(yaml, registryYaml);
    const target = buildTarget(config, "amd64");
    const show = (shell: ReturnType<typeof builder.create>) => (shell === undefined ? undefined : render(shell));
    return { create: show(builder.create(config, target)), remove: show(builder.remove(config, target)), inspect: show(builder.inspectBuilder(config, target)), info: render(builder.info(config, target)) };
  };
  it("creates, removes and inspects a local builder", () => {
    expect(setup("  arch: amd64\n")).toEqual({
      create: "docker buildx create --name kamal-local-docker-container --driver=docker-container",
      remove: "docker buildx rm kamal-local-docker-container",
      inspect: "docker buildx inspect kamal-local-docker-container",
      info: "docker context ls && docker buildx ls",
    });
  });
  it("needs nothing for the docker driver", () => {
    expect(setup("  arch: amd64\n  driver: docker\n")).toMatchObject({ create: undefined, remove: undefined, inspect: undefined });
  });
  it("creates a remote builder through a docker context and checks it points at the remote", () => {
    expect(setup("  arch: arm64\n  remote: ssh://app@1.1.1.5\n")).toEqual({
      create: "docker context create kamal-remote-ssh---app-1-1-1-5-context --description 'kamal-remote-ssh---app-1-1-1-5 host' --docker 'host=ssh://app@1.1.1.5' ; docker buildx create --name kamal-remote-ssh---app-1-1-1-5 kamal-remote-ssh---app-1-1-1-5-context",
      remove: "docker context rm kamal-remote-ssh---app-1-1-1-5-context ; docker buildx rm kamal-remote-ssh---app-1-1-1-5",
      inspect: "docker buildx inspect kamal-remote-ssh---app-1-1-1-5 | grep -q Endpoint:.*kamal-remote-ssh---app-1-1-1-5-context && docker context inspect kamal-remote-ssh---app-1-1-1-5-context --format '{{.Endpoints.docker.Host}}' | grep -xq ssh://app@1.1.1.5 || (echo no compatible builder && exit 1)",
      info: "docker context ls ; docker buildx ls",
    });
  });
  it("creates a hybrid builder for a local registry with host networking", () => {
    expect(setup("  arch: [amd64, arm64]\n  remote: ssh://app@1.1.1.5\n", LOCAL_REGISTRY).create).toBe(
      "docker buildx create --platform linux/amd64 --name kamal-hybrid-docker-container-ssh---app-1-1-1-5-local-registry --driver=docker-container --driver-opt network=host && docker context create kamal-hybrid-docker-container-ssh---app-1-1-1-5-local-registry-context --description 'kamal-hybrid-docker-container-ssh---app-1-1-1-5-local-registry host' --docker 'host=ssh://app@1.1.1.5' && docker buildx create --platform linux/arm64 --append --name kamal-hybrid-docker-container-ssh---app-1-1-1-5-local-registry --driver-opt network=host kamal-hybrid-docker-container-ssh---app-1-1-1-5-local-registry-context");
  });
  it("creates and removes a cloud builder", () => {
    expect(setup("  arch: amd64\n  driver: cloud example_org/cloud_builder\n")).toMatchObject({
      create: "docker buildx create --driver cloud example_org/cloud_builder",
      remove: "docker buildx rm cloud-example_org-cloud_builder",
    });
  });
  it("inspects a pack builder", () => {
    expect(setup("  arch: amd64\n  pack:\n    builder: heroku/builder:24\n    buildpacks: []\n")).toEqual({
      create: undefined, remove: undefined, inspect: "pack builder inspect heroku/builder:24", info: "pack builder inspect heroku/builder:24" });
  });
});

describe("image on hosts", () => {
  const config = withBuilder("  arch: amd64\n");
  it("pulls, cleans and validates the image", () => {
    expect(render(builder.clean(config))).toBe("docker image rm --force dhh/app:123");
    expect(render(builder.pull(config))).toBe("docker pull dhh/app:123");
    expect(render(builder.validateImage(config))).toBe(
      "docker inspect -f '{{ .Config.Labels.service }}' dhh/app:123 | grep -x app || (echo \"Image dhh/app:123 is missing the 'service' label\" && exit 1)");
    expect(render(builder.firstMirror())).toBe("docker info --format '{{index .RegistryConfig.Mirrors 0}}'");
    expect(render(builder.ensureDockerInstalled())).toBe("docker --version && docker buildx version");
  });
});

describe("remote builder host", () => {
  const host = (url: string) => remoteBuilderHost(withBuilder(`  arch: arm64\n  remote: ${url}\n`));
  it("reads the host, user and port of an ssh:// remote", () => {
    expect(host("ssh://app@1.1.1.5:2122")).toEqual({ host: "1.1.1.5", user: "app", port: 2122 });
    expect(host("ssh://builder.example.com")).toEqual({ host: "builder.example.com", user: undefined, port: undefined });
    expect(host("ssh://root@[2001:db8::5]")).toEqual({ host: "2001:db8::5", user: "root", port: undefined });
  });
  it("has none for other schemes", () => {
    expect(host("tcp://1.1.1.5:2375")).toBeUndefined();
  });
});
