import { describe, expect, test } from "vitest";
import { deploy } from "../../src/flows/deploy.ts";
import { ConfigError, HostsFailedError } from "../../src/errors.ts";
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
const config = () => configFromYaml(YAML, { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });

describe("deploy", () => {
  test("runs Kamal's steps per host in order, with one lock on the primary host", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [
        { match: "docker container ls --all --filter 'name=^app-web-999$' --quiet", result: { stdout: "" }, times: 2 },
        { match: "docker container ls --all --filter 'name=^app-web-999$' --quiet", result: { stdout: "c0ffee" } },
        { match: /currentRunning|head -1 \| while read/, result: { stdout: "888" } },
        { match: "xargs docker inspect --format", result: { stdout: "running" } },
      ],
    });
    await deploy(ctx, { skipPush: true });
    const web = recorder.commands("1.1.1.1");
    expect(web[0]).toBe('docker login registry.test:5000 -u [REDACTED] --password-stdin');
    expect(web).toContain("docker pull registry.test:5000/dhh/app:999");
    expect(web.some((l) => l.startsWith("/usr/bin/env mkdir .kamal/lock-app && echo "))).toBe(true);
    const deployAt = web.findIndex((l) => l.startsWith("docker exec kamal-proxy kamal-proxy deploy app-web --target=\"c0ffee:80\""));
    const stopOldAt = web.indexOf("docker container ls --all --filter 'name=^app-web-888$' --quiet | xargs docker stop");
    expect(deployAt).toBeGreaterThan(-1);
    expect(stopOldAt).toBeGreaterThan(deployAt);
    expect(web.at(-1)).toBe("/usr/bin/env rm .kamal/lock-app/details && rm -r .kamal/lock-app");
    expect(recorder.commands("1.1.1.2").some((l) => l.includes("mkdir .kamal/lock-app"))).toBe(false);
    const worker = recorder.commands("1.1.1.3");
    expect(worker.some((l) => l.includes("--name app-workers-999") && l.endsWith("registry.test:5000/dhh/app:999 bin/jobs"))).toBe(true);
    expect(recorder.calls("1.1.1.1").find((c) => c.line.includes("--password-stdin"))?.stdin).toBe(true);
  });

  test("a host whose new container never gets an id fails; the lock is still released", async () => {
    const { ctx, recorder } = testContext(config(), {
      answers: [{ host: "1.1.1.2", match: "kamal-proxy deploy", result: { code: 1, stderr: "Error: target failed to become healthy" } }],
    });
    await expect(deploy(ctx, { skipPush: true })).rejects.toBeInstanceOf(HostsFailedError);
    expect(recorder.commands("1.1.1.1").at(-1)).toBe("/usr/bin/env rm .kamal/lock-app/details && rm -r .kamal/lock-app");
  });
});

describe("a deploy that switches some hosts only", () => {
  const web3 = YAML.replace("web: [1.1.1.1, 1.1.1.2]", "web: [1.1.1.1, 1.1.1.2, 1.1.1.4]");
  const three = () => configFromYaml(web3.replace(/  workers:\n.*\n.*\n/, ""), { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });
  // Each host runs 888; 999's name is free until its container runs, then the container has an id.
  const booting = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"].flatMap((host) => [
    { host, match: "--filter 'name=^app-web-999$' --quiet", result: { stdout: "" }, times: 1 },
    { host, match: "--filter 'name=^app-web-999$' --quiet", result: { stdout: "c0ffee" } },
  ]);
  const running888 = [...booting, { match: /currentRunning|head -1 \| while read/, result: { stdout: "888" } }];

  test("counts every targeted container, also a host that failed before its first boot step", async () => {
    const { ctx, report } = testContext(three(), {
      answers: [
        ...running888,
        { host: "1.1.1.4", match: "docker container start kamal-proxy", result: { code: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" } },
      ],
    });
    await expect(deploy(ctx, { skipPush: true })).rejects.toBeInstanceOf(HostsFailedError);
    const rows = report.events.flatMap((e) => (e.type === "deploy.host" ? [`${e.host} ${e.role} ${e.result}`] : []));
    expect(rows.sort()).toEqual(["1.1.1.1 web ok", "1.1.1.2 web ok", "1.1.1.4 web failed"]);
    expect(report.events.flatMap((e) => (e.type === "warn" ? [e.message] : []))).toEqual([
      "2 of 3 containers now run 999; to bring every host back to one version run: sextant rollback 888",
    ]);
  });

  test("counts the hosts of boot groups never reached as targeted, skipped", async () => {
    const yaml = `${web3}boot:\n  limit: 2\n`;
    const { ctx, report } = testContext(configFromYaml(yaml, { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } }), {
      answers: [...running888, { host: "1.1.1.2", match: "kamal-proxy deploy", result: { code: 1, stderr: "Error: target failed to become healthy" } }],
    });
    await expect(deploy(ctx, { skipPush: true })).rejects.toBeInstanceOf(HostsFailedError);
    const rows = report.events.flatMap((e) => (e.type === "deploy.host" ? [`${e.host} ${e.role} ${e.result}`] : []));
    expect(rows).toEqual(["1.1.1.1 web ok", "1.1.1.2 web failed", "1.1.1.4 web skipped", "1.1.1.3 workers skipped"]);
    expect(report.events.flatMap((e) => (e.type === "warn" ? [e.message] : []))).toEqual([
      "Failed to boot web on 1.1.1.2",
      "1 of 4 containers now run 999; to bring every host back to one version run: sextant rollback 888",
    ]);
  });
});

describe("deploy's secrets preflight", () => {
  test("with secrets missing, fails with all of them (exit 2) before sending a single command", async () => {
    const yaml = YAML.replace("readiness_delay: 0", "readiness_delay: 0\nenv:\n  secret: [RAILS_MASTER_KEY]");
    const { ctx, recorder } = testContext(configFromYaml(yaml, { version: "999" }));
    const failure = await deploy(ctx, { skipPush: true }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).exitCode).toBe(2);
    expect((failure as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "registry/password: REGISTRY_PASSWORD is not set in any secrets file (there is no .kamal/secrets-common or .kamal/secrets)",
      "env/secret: RAILS_MASTER_KEY is not set in any secrets file (there is no .kamal/secrets-common or .kamal/secrets)",
    ]);
    expect(recorder.calls()).toEqual([]);
  });

  test("under --dry-run it reports no outcome table and no 'Finished all', and says the health it assumed", async () => {
    const { ctx, report } = testContext(config(), { flags: { dryRun: true } });
    await deploy(ctx, { skipPush: true });
    const infos = report.events.flatMap((e) => (e.type === "info" ? [e.message] : []));
    expect(report.events.filter((e) => e.type === "deploy.host")).toEqual([]);
    expect(infos.filter((m) => m.includes("Finished all"))).toEqual([]);
    expect(infos).toContain("First web container is assumed healthy on 1.1.1.1, booting any other roles");
  });
});
