import { describe, expect, it } from "vitest";
import * as proxy from "../../src/commands/proxy.ts";
import { render } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const RUN = "docker run --name kamal-proxy --network kamal --detach --restart unless-stopped --volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config";
const LEGACY = 'echo $(cat .kamal/proxy/options 2> /dev/null || echo "--publish 80:80 --publish 443:443 --log-opt max-size=10m") $(cat .kamal/proxy/image 2> /dev/null || echo "basecamp/kamal-proxy"):$(cat .kamal/proxy/image_version 2> /dev/null || echo "v0.9.2") $(cat .kamal/proxy/run_command 2> /dev/null || echo "")';

const withRun = (run: string) => load(`${BASE}servers:
  web:
  - 1.1.1.1
proxy:
  run:
${run}`);
const runOn = (yaml: string) => render(proxy.run(proxy.proxyRunFor(withRun(yaml), "1.1.1.1")));

describe("proxy.run", () => {
  it("reads the boot-config files when proxy.run is not configured", () => {
    expect(render(proxy.run(undefined))).toBe(`${LEGACY} | xargs ${RUN}`);
  });

  const cases: [string, string, string][] = [
    ["defaults", "    version: v0.9.2\n", `${RUN} --publish 80:80 --publish 443:443 --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run`],
    ["bind addresses, IPv6 bracketed", "    bind_ips:\n    - 0.0.0.0\n    - \"::1\"\n",
      `${RUN} --publish 0.0.0.0:80:80 --publish 0.0.0.0:443:443 --publish [::1]:80:80 --publish [::1]:443:443 --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run`],
    ["no publishing", "    publish: false\n", `${RUN} --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run`],
    ["custom ports and log size", "    http_port: 8080\n    https_port: 8443\n    log_max_size: 50m\n",
      `${RUN} --publish 8080:80 --publish 8443:443 --log-opt max-size=50m basecamp/kamal-proxy:v0.9.2 kamal-proxy run`],
    ["metrics, debug, options and a registry",
      "    metrics_port: 9090\n    debug: true\n    registry: registry:4443\n    options:\n      cpus: 1.5\n",
      `${RUN} --publish 80:80 --publish 443:443 --log-opt max-size=10m --expose=9090 --cpus "1.5" registry:4443/basecamp/kamal-proxy:v0.9.2 kamal-proxy run --debug --metrics-port "9090"`],
    ["another repository and version", "    repository: custom/repo\n    version: v1.2.3\n",
      `${RUN} --publish 80:80 --publish 443:443 --log-opt max-size=10m custom/repo:v1.2.3 kamal-proxy run`],
  ];
  for (const [name, yaml, expected] of cases) it(`runs from proxy.run: ${name}`, () => expect(runOn(yaml)).toBe(expected));

  it("restarts a stopped proxy before running a new one", () => {
    expect(render(proxy.startOrRun(undefined))).toBe(`docker container start kamal-proxy || ${LEGACY} | xargs ${RUN}`);
  });
  it("takes proxy.run from a role on the host only", () => {
    expect(proxy.proxyRunFor(withRun("    debug: true\n"), "9.9.9.9")).toBeUndefined();
  });
});

describe("proxy container commands", () => {
  const config = withRun("    debug: true\n");
  const cases: [string, () => string, string][] = [
    ["start", () => render(proxy.start()), "docker container start kamal-proxy"],
    ["stop", () => render(proxy.stop()), "docker container stop kamal-proxy"],
    ["details", () => render(proxy.info()), "docker ps --filter 'name=^kamal-proxy$'"],
    ["version", () => render(proxy.version()), "docker inspect kamal-proxy --format '{{.Config.Image}}' | awk -F: '{print $NF}'"],
    ["logs", () => render(proxy.logs({ since: "2h", lines: 10, grep: "hello!", grepOptions: "-i" })),
      "docker logs kamal-proxy --since 2h --tail 10 --timestamps 2>&1 | grep 'hello!' -i"],
    ["logs without timestamps", () => render(proxy.logs({ timestamps: false })), "docker logs kamal-proxy 2>&1"],
    ["follow logs", () => render(proxy.followLogs(config, "1.1.1.1", { grep: "hello!" })),
      "ssh -t root@1.1.1.1 -p 22 'docker logs kamal-proxy --timestamps --tail 10 --follow 2>&1 | grep \"hello!\"'"],
    ["following logs on the host", () => render(proxy.followingLogs({ timestamps: false, grep: "hello!" })),
      "docker logs kamal-proxy --tail 10 --follow 2>&1 | grep \"hello!\""],
    ["remove container", () => render(proxy.removeContainer()), "docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy"],
    ["remove image", () => render(proxy.removeImage()), "docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy"],
    ["Traefik cleanup", () => render(proxy.cleanupTraefik()),
      "docker container stop traefik ; docker container prune --force --filter label=org.opencontainers.image.title=Traefik && docker image prune --all --force --filter label=org.opencontainers.image.title=Traefik"],
    ["proxy directory", () => render(proxy.ensureProxyDirectory()), "mkdir -p .kamal/proxy"],
    ["remove proxy directory", () => render(proxy.removeProxyDirectory()), "rm -r .kamal/proxy"],
    ["apps-config directory", () => render(proxy.ensureAppsConfigDirectory()), "mkdir -p .kamal/proxy/apps-config"],
  ];
  for (const [name, build, expected] of cases) it(`builds ${name}`, () => expect(build()).toBe(expected));
});
