import { describe, expect, test } from "vitest";
import { HostsFailedError } from "../../src/errors.ts";
import type { Answer } from "../../src/exec/recorder.ts";
import { deployCanary } from "../../src/flows/canary-deploy.ts";
import { abortCanary, canaryStatus, promoteCanary } from "../../src/flows/canary.ts";
import { canaryRows, describeCanaries } from "../../src/flows/canary-text.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const YAML = `service: app
image: dhh/app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers:
    hosts: [1.1.1.3]
    cmd: bin/jobs
registry:
  server: registry.test:5000
  username: deployer
  password: [REGISTRY_PASSWORD]
builder:
  arch: amd64
readiness_delay: 0
`;
const config = () => configFromYaml(YAML, { version: "v2", secrets: { REGISTRY_PASSWORD: "hunter2" } });

const CURRENT = /head -1 \| while read/;
const LIST = "--filter label=sextant.canary --format";
const UNLOCK = "/usr/bin/env rm .kamal/lock-app/details && rm -r .kamal/lock-app";
const running = (version: string): Answer => ({ match: CURRENT, result: { stdout: version } });
const state = (split: string) =>
  `[{"name":"app-web","options":{},"active_targets":["aaaaaaaaaaaa:80"],"rollout_targets":["c0ffee000001:80"],"rollout_controller":${split}}]\n`;

describe("deploy --canary", () => {
  test("boots the canary next to the running version, makes it the rollout target, then sets the split everywhere", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [running("v1"), { match: "docker container ls --all --filter 'name=^app-web-v2$' --quiet", result: { stdout: "" }, times: 2 },
        { match: "docker container ls --all --filter 'name=^app-web-v2$' --quiet", result: { stdout: "c0ffee000001" } }],
    });
    await deployCanary(ctx, 30, { skipPush: true });
    const web = recorder.commands("1.1.1.1");
    const at = (line: string) => web.findIndex((l) => l.startsWith(line));
    expect(web).toContain("docker pull registry.test:5000/dhh/app:v2");
    expect(web.find((l) => l.startsWith("docker run"))).toContain('--label role="web" --label destination --label sextant.canary="v2" registry.test:5000/dhh/app:v2');
    expect(at("docker run")).toBeGreaterThan(at("/usr/bin/env mkdir .kamal/lock-app"));
    expect(at('docker exec kamal-proxy kamal-proxy rollout deploy app-web --target="c0ffee000001:80" --deploy-timeout="30s" --drain-timeout="30s"'))
      .toBeGreaterThan(at("docker run"));
    expect(at("docker exec kamal-proxy kamal-proxy rollout set app-web --percent=30")).toBeGreaterThan(at("docker exec kamal-proxy kamal-proxy rollout deploy"));
    expect(web.at(-1)).toBe(UNLOCK);
    // The main target, the latest tag and the old container are a promotion's business.
    expect(web.some((l) => /kamal-proxy deploy|docker tag|docker stop|docker rename/.test(l))).toBe(false);
    expect(recorder.commands("1.1.1.2")).toContain("docker exec kamal-proxy kamal-proxy rollout set app-web --percent=30");
    // Workers are not behind the proxy: they get the image, and v2 only when the canary is promoted.
    const worker = recorder.commands("1.1.1.3");
    expect(worker).toContain("docker pull registry.test:5000/dhh/app:v2");
    expect(worker.some((l) => l.startsWith("docker run") || l.includes("rollout"))).toBe(false);
  });

  test("moves a stopped container of the version out of the way, as a Kamal boot does", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [running("v1"), { match: "docker container ls --all --filter 'name=^app-web-v2$' --quiet", result: { stdout: "0ld0ld0ld0ld" } }],
    });
    await deployCanary(ctx, 10, { skipPush: true });
    expect(recorder.commands("1.1.1.1")).toContain("docker rename app-web-v2 app-web-v2_replaced_0000000000000001");
  });

  test.each([
    ["nothing runs yet", [], "web on 1.1.1.1 runs no version yet, so there is nothing to split traffic with"],
    ["the version already runs", [running("v2")], "web on 1.1.1.1 already runs v2"],
    ["a canary runs already", [running("v1"), { match: LIST, result: { stdout: "c0ffee000001 app-web-v3 running v3" } }],
      "web on 1.1.1.1 already has a canary of v3 (app-web-v3)"],
  ] as [string, Answer[], string][])("refuses when %s, boots nothing and releases the lock", async (_case, answers, message) => {
    const { ctx, recorder } = testContext(config(), { answers: answers.map((a) => ({ ...a, host: "1.1.1.1" })) });
    const failure = await deployCanary(ctx, 30, { skipPush: true }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(HostsFailedError);
    expect((failure as HostsFailedError).failures.get("1.1.1.1")?.message).toBe(message);
    expect(recorder.commands("1.1.1.1").some((l) => l.startsWith("docker run"))).toBe(false);
    expect(recorder.commands().some((l) => l.includes("rollout set"))).toBe(false);
    expect(recorder.commands("1.1.1.1").at(-1)).toBe(UNLOCK);
  });

  test("when one host's canary never becomes healthy, the others' canaries go and no split is set", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [running("v1"), { host: "1.1.1.2", match: "rollout deploy", result: { code: 1, stderr: "Error: target failed to become healthy within configured timeout (30s)" } }],
    });
    await expect(deployCanary(ctx, 30, { skipPush: true })).rejects.toBeInstanceOf(HostsFailedError);
    for (const host of ["1.1.1.1", "1.1.1.2"]) {
      const lines = recorder.commands(host);
      expect(lines.indexOf("docker stop app-web-v2")).toBeGreaterThan(lines.findIndex((l) => l.includes("rollout deploy")));
      expect(lines).toContain("docker container rm app-web-v2");
    }
    expect(recorder.commands().some((l) => l.includes("rollout set"))).toBe(false);
  });

  test("names why a canary never became healthy, read before the canary is removed", async () => {
    const check = '{"time":"2026-03-04T05:06:05.1Z","level":"INFO","msg":"Healthcheck failed","url":"http://0123456789ab:80/up","error":"unexpected status (404)"}';
    const { ctx, recorder } = testContext(config(), { select: { hosts: "1.1.1.1" }, answers: [
      running("v1"),
      { match: "--filter 'name=^app-web-v2$' --quiet", result: { stdout: "" }, times: 1 },
      { match: "--filter 'name=^app-web-v2$' --quiet", result: { stdout: "0123456789ab" } },
      { match: "rollout deploy", result: { code: 1, stderr: "Error: target failed to become healthy within configured timeout (30s)" } },
      { match: "docker logs kamal-proxy", result: { stdout: `${check}\n` } },
    ] });
    const failure = await deployCanary(ctx, 30, { skipPush: true }).catch((err: unknown) => err);
    expect((failure as HostsFailedError).message).toBe("[1.1.1.1] new container never became healthy: GET /up answered 404");
    const web = recorder.commands("1.1.1.1");
    expect(web.findIndex((l) => l.startsWith("docker logs kamal-proxy"))).toBeLessThan(web.indexOf("docker stop app-web-v2"));
  });

  test("needs a role behind the proxy", async () => {
    const { ctx } = testContext(config(), { select: { roles: "workers" } });
    await expect(deployCanary(ctx, 30)).rejects.toThrow("none of the selected roles runs behind kamal-proxy, so there is no traffic to split");
  });
});

describe("canary abort", () => {
  test("stops kamal-proxy's rollout before it stops and removes the canary containers, under the lock", async () => {
    const { ctx, recorder } = testContext(config(), { answers: [{ match: LIST, result: { stdout: "c0ffee000001 app-web-v2 running v2\n" } }] });
    await abortCanary(ctx);
    const web = recorder.commands("1.1.1.1");
    const stop = web.indexOf("docker exec kamal-proxy kamal-proxy rollout stop app-web");
    expect(stop).toBeGreaterThan(web.findIndex((l) => l.includes("mkdir .kamal/lock-app")));
    expect(web.slice(stop + 2)).toEqual(["docker stop app-web-v2", "docker container rm app-web-v2", UNLOCK]);
    expect(recorder.commands("1.1.1.3")).toEqual(["/usr/bin/env mkdir -p .kamal"]);
  });

  test("a host without a canary, where kamal-proxy never heard of the service, is no failure", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [
        { match: LIST, host: "1.1.1.1", result: { stdout: "c0ffee000001 app-web-v2 running v2\n" } },
        { match: "rollout stop", host: "1.1.1.2", result: { code: 1, stderr: "Error: service not found" } },
      ],
    });
    await abortCanary(ctx);
    expect(recorder.commands("1.1.1.2")).toContain("docker exec kamal-proxy kamal-proxy rollout stop app-web");
    expect(recorder.commands("1.1.1.1")).toContain("docker container rm app-web-v2");
  });

  test("a failed rollout stop where a canary runs stops before the canary is touched", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [
        { match: LIST, result: { stdout: "c0ffee000001 app-web-v2 running v2\n" } },
        { match: "rollout stop", host: "1.1.1.2", result: { code: 1, stderr: "Error: connection refused" } },
      ],
    });
    await expect(abortCanary(ctx)).rejects.toThrow("[1.1.1.2] docker exec kamal-proxy kamal-proxy rollout stop app-web exited 1: Error: connection refused");
    expect(recorder.commands("1.1.1.2")).not.toContain("docker stop app-web-v2");
  });
});

describe("canary promote", () => {
  test("deploys the canary's version, then stops the rollout and removes the renamed canary", async () => {
    const { ctx, recorder } = testContext(configFromYaml(YAML, { version: "v9", secrets: { REGISTRY_PASSWORD: "hunter2" } }), {
      answers: [
        { match: LIST, result: { stdout: "c0ffee000001 app-web-v2 running v2" }, times: 1 },
        { match: LIST, result: { stdout: "c0ffee000001 app-web-v2_replaced_0000000000000001 running v2" } },
        running("v1"),
        { match: "docker container ls --all --filter 'name=^app-web-v2$' --quiet", result: { stdout: "c0ffee000001" }, times: 1 },
        { match: "docker container ls --all --filter 'name=^app-web-v2$' --quiet", result: { stdout: "d00d00000002" } },
      ],
      select: { hosts: "1.1.1.1" },
    });
    await promoteCanary(ctx);
    const web = recorder.commands("1.1.1.1");
    const at = (prefix: string) => web.findIndex((l) => l.startsWith(prefix));
    expect(web).toContain("docker pull registry.test:5000/dhh/app:v2");
    expect(at("docker exec kamal-proxy kamal-proxy deploy app-web")).toBeGreaterThan(at("docker rename app-web-v2 app-web-v2_replaced_"));
    expect(web).toContain("docker tag registry.test:5000/dhh/app:v2 registry.test:5000/dhh/app:latest");
    expect(at("docker exec kamal-proxy kamal-proxy rollout stop app-web")).toBeGreaterThan(at("docker exec kamal-proxy kamal-proxy deploy app-web"));
    expect(web.slice(at("docker exec kamal-proxy kamal-proxy rollout stop app-web") + 2)).toEqual([
      "docker stop app-web-v2_replaced_0000000000000001", "docker container rm app-web-v2_replaced_0000000000000001", UNLOCK]);
  });

  test("needs exactly one running canary version", async () => {
    const none = testContext(config());
    await expect(promoteCanary(none.ctx)).rejects.toThrow("no canary is running on the selected hosts");
    const two = testContext(config(), { answers: [
      { host: "1.1.1.1", match: LIST, result: { stdout: "c0ffee000001 app-web-v2 running v2" } },
      { host: "1.1.1.2", match: LIST, result: { stdout: "c0ffee000002 app-web-v3 running v3" } },
    ] });
    await expect(promoteCanary(two.ctx)).rejects.toThrow("canaries of several versions are running (v2, v3)");
  });
});

describe("canary status", () => {
  test("says per host and role what runs and what kamal-proxy splits", async () => {
    const { ctx } = testContext(config(), { answers: [
      running("v1"),
      { host: "1.1.1.1", match: LIST, result: { stdout: "c0ffee000001 app-web-v2 running v2" } },
      { host: "1.1.1.1", match: "kamal-proxy.state", result: { stdout: state('{"percentage":30,"percentage_split_point":1288490188.5,"allowlist":["staff"]}') } },
      { host: "1.1.1.2", match: "kamal-proxy.state", result: { code: 1, stderr: "Error response from daemon: No such container: kamal-proxy" } },
    ] });
    const roles = await canaryStatus(ctx);
    expect(describeCanaries(roles)).toMatchInlineSnapshot(`
      "web on 1.1.1.1: v1 running, canary v2 (app-web-v2) gets 30% of the requests with a kamal-rollout cookie, and those whose cookie is staff
      web on 1.1.1.2: v1 running, no canary"
    `);
    expect(canaryRows(roles)[1]).toEqual({ host: "1.1.1.2", role: "web", current: "v1", canaries: [], split: null, rolloutTargets: [],
      unknown: "could not read kamal-proxy's state: Error response from daemon: No such container: kamal-proxy" });
  });

  test("points out a canary kamal-proxy sends nothing, and a split left without a canary", async () => {
    const { ctx } = testContext(config(), { answers: [
      running("v1"),
      { host: "1.1.1.1", match: LIST, result: { stdout: "c0ffee000001 app-web-v2 running v2" } },
      { host: "1.1.1.1", match: "kamal-proxy.state", result: { stdout: state("null") } },
      { host: "1.1.1.2", match: "kamal-proxy.state", result: { stdout: state('{"percentage":5,"percentage_split_point":0,"allowlist":null}') } },
    ] });
    expect(describeCanaries(await canaryStatus(ctx))).toMatchInlineSnapshot(`
      "web on 1.1.1.1: v1 running, canary v2 (app-web-v2) gets no requests: kamal-proxy has no split
      web on 1.1.1.2: v1 running, no canary; kamal-proxy still splits 5% of the requests with a kamal-rollout cookie to c0ffee000001:80 (run \`sextant canary abort\`)"
    `);
  });
});
