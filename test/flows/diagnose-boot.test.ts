import { describe, expect, test } from "vitest";
import { HostsFailedError } from "../../src/errors.ts";
import type { Answer } from "../../src/exec/recorder.ts";
import { deploy } from "../../src/flows/deploy.ts";
import { errorText } from "../../src/output/error-text.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const YAML = `service: app
image: dhh/app
servers:
  web: [1.1.1.1, 1.1.1.2, 1.1.1.3]
registry:
  server: registry.test:5000
  username: deployer
  password: [REGISTRY_PASSWORD]
builder:
  arch: amd64
proxy:
  app_port: 3000
`;
const config = () => configFromYaml(YAML, { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });
const HOSTS = ["1.1.1.1", "1.1.1.2", "1.1.1.3"];
const ID = (host: string) => `0123456789a${host.at(-1)}`;
const STATE = `{"state":{"Status":"running","Running":true,"Restarting":false,"OOMKilled":false,"Dead":false,"ExitCode":0},"restarts":0,"memory":0}`;
const failedCheck = (host: string, error: string) =>
  `{"time":"2026-03-04T05:06:05.123456789Z","level":"INFO","msg":"Healthcheck failed","url":"http://${ID(host)}:3000/up","error":"${error}"}`;

/** Every host boots a container that kamal-proxy never finds healthy; `error` is what its checks logged. */
function unhealthy(errorOn: (host: string) => string): Answer[] {
  return HOSTS.flatMap((host): Answer[] => [
    { host, match: "--filter 'name=^app-web-999$' --quiet", result: { stdout: "" }, times: 1 },
    { host, match: "--filter 'name=^app-web-999$' --quiet", result: { stdout: `${ID(host)}\n` } },
    { host, match: "kamal-proxy deploy", result: { code: 1, stderr: "Error: target failed to become healthy within configured timeout (30s)\n" } },
    { host, match: "docker inspect --format '{\"state\"", result: { stdout: `${STATE}\n` } },
    { host, match: "docker logs kamal-proxy", result: { stdout: `${failedCheck(host, errorOn(host))}\n` } },
    { host, match: "xargs docker logs --tail 20", result: { stdout: "* Listening on http://0.0.0.0:3000\n" } },
  ]);
}

describe("a deploy whose new containers never become healthy", () => {
  test("names the cause once for every host that failed the same way, with the fix", async () => {
    const { ctx, recorder } = testContext(config(), { answers: unhealthy(() => "unexpected status (404)") });
    const failure = await deploy(ctx, { skipPush: true }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(HostsFailedError);
    expect(errorText(failure, { verbose: false, version: "1.0.0" })).toMatchInlineSnapshot(`
      "✗ 3 hosts (1.1.1.1, 1.1.1.2, 1.1.1.3): new container never became healthy: GET /up answered 404
        fix: the app has no /up route: add one that answers 200 (Rails 7.1+ has /up), or set proxy.healthcheck.path to a path it answers"
    `);
    // The diagnosis reads the host before the failed container is stopped.
    const web = recorder.commands("1.1.1.2");
    const deployAt = web.findIndex((l) => l.startsWith("docker exec kamal-proxy kamal-proxy deploy"));
    expect(web.slice(deployAt + 1, deployAt + 6)).toEqual([
      "docker container ls --all --filter 'name=^app-web-999$' --quiet",
      "/usr/bin/env sh -c 'echo 0123456789a2' | xargs docker logs --tail 20 2>&1",
      `docker inspect --format '{"state":{{json .State}},"restarts":{{.RestartCount}},"memory":{{.HostConfig.Memory}}}' 0123456789a2`,
      `docker logs kamal-proxy --since 90s 2>&1 | grep -F '"msg":"Healthcheck failed"' | grep -F //0123456789a2: | tail -n 20`,
      "docker container ls --all --filter 'name=^app-web-999$' --quiet | xargs docker stop",
    ]);
  });

  test("keeps different causes apart, and the full kamal-proxy command for -v", async () => {
    const refused = (host: string) => `Get \\"http://${ID(host)}:3000/up\\": dial tcp 172.18.0.5:3000: connect: connection refused`;
    const { ctx } = testContext(config(), { answers: unhealthy((host) => (host === "1.1.1.3" ? refused(host) : "request timed out")) });
    const failure = await deploy(ctx, { skipPush: true }).catch((err: unknown) => err);
    expect(errorText(failure, { verbose: false, version: "1.0.0" })).toMatchInlineSnapshot(`
      "✗ failed on 3 hosts:
          2 hosts (1.1.1.1, 1.1.1.2): new container never became healthy: GET /up did not answer within 5s
            fix: the app boots or answers slowly: raise deploy_timeout (now 30s) or proxy.healthcheck.timeout (now 5s)
          [1.1.1.3] new container never became healthy: nothing listens on port 3000 in the new container (connection refused)
            fix: make the app listen on 0.0.0.0:3000 or set proxy.app_port to its port; if it was still booting, raise deploy_timeout (now 30s)"
    `);
    const verbose = errorText(failure, { verbose: true, version: "1.0.0" });
    expect(verbose).toContain("[1.1.1.1] docker exec kamal-proxy kamal-proxy deploy app-web --target=\"0123456789a1:3000\"");
    expect(verbose).toContain("last log lines of the new container:\n    * Listening on http://0.0.0.0:3000");
    expect(verbose).toContain("caused by: SextantError: kamal-proxy's last failed check: request timed out");
  });
});
