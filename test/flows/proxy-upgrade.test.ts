import { describe, expect, test } from "vitest";
import * as removal from "../../src/flows/proxy-remove.ts";
import { upgrade } from "../../src/flows/proxy-upgrade.ts";
import * as main from "../../src/flows/main.ts";
import type { Event } from "../../src/output/events.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

// web runs behind kamal-proxy; the workers do not, and 1.1.1.4 only runs an accessory.
const YAML = `service: app
image: dhh/app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers:
    hosts: [1.1.1.3]
    cmd: bin/jobs
registry:
  username: u
  password: [REGISTRY_PASSWORD]
builder:
  arch: amd64
readiness_delay: 0
accessories:
  redis:
    image: redis:7
    host: 1.1.1.4
`;
const config = () => configFromYaml(YAML, { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });

const LOCK_RELEASE = "/usr/bin/env rm .kamal/lock-app/details && rm -r .kamal/lock-app";
const TRAEFIK = "docker container stop traefik ; docker container prune --force --filter label=org.opencontainers.image.title=Traefik && docker image prune --all --force --filter label=org.opencontainers.image.title=Traefik";
const sent = (lines: string[]) => lines.filter((l) => !l.includes("-audit.log") && !l.includes(".kamal/lock-app") && l !== "/usr/bin/env mkdir -p .kamal");
const steps = (events: readonly Event[]) => events.flatMap((e) => (e.type === "step.start" ? [e.title] : []));

/** What a dry run answers for the new containers: an id, and a healthy workers container. */
const ANSWERS = [
  { match: "xargs docker inspect --format", result: { stdout: "running" } },
  { match: "--filter 'name=^app-web-latest$' --quiet", result: { stdout: "c0ffee" } },
];

describe("proxy upgrade", () => {
  test("replaces Traefik and kamal-proxy on every host, then boots the proxy, the latest app and prunes", async () => {
    const { ctx, recorder, report } = testContext(config(), { answers: ANSWERS });
    await upgrade(ctx, false, undefined);
    expect(steps(report.events).filter((t) => t.includes("proxy on"))).toEqual([
      "Upgrading proxy on 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4...",
      "Upgraded proxy on 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4",
    ]);
    const web = sent(recorder.commands("1.1.1.2"));
    expect(web.slice(0, 5)).toEqual([
      "docker login -u [REDACTED] --password-stdin",
      TRAEFIK,
      "docker container stop kamal-proxy",
      "docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy",
      "docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy",
    ]);
    const proxyRun = web.findIndex((l) => l.startsWith("docker container start kamal-proxy || "));
    const appRun = web.findIndex((l) => l.startsWith("docker run --detach --restart unless-stopped --name app-web-latest "));
    const routed = web.findIndex((l) => l.startsWith('docker exec kamal-proxy kamal-proxy deploy app-web --target="c0ffee:80"'));
    const pruned = web.findIndex((l) => l.startsWith("docker image prune --force --filter label=service=app"));
    expect(proxyRun).toBeGreaterThan(4);
    expect(appRun).toBeGreaterThan(proxyRun);
    expect(routed).toBeGreaterThan(appRun);
    expect(pruned).toBeGreaterThan(routed);
    expect(sent(recorder.commands("1.1.1.4"))).toContain(TRAEFIK);
    expect(recorder.commands().filter((l) => l.startsWith("/usr/bin/env mkdir .kamal/lock-app"))).toHaveLength(1);
    expect(recorder.commands("1.1.1.1").at(-1)).toBe(LOCK_RELEASE);
  });

  test("--rolling finishes each host, app boot included, before the next host starts", async () => {
    const answers = [...ANSWERS, { match: "--filter 'name=^app-web-42$' --quiet", result: { stdout: "c0ffee" } }];
    const { ctx, recorder, report } = testContext(config(), { answers });
    await upgrade(ctx, true, "42");
    expect(steps(report.events).filter((t) => t.includes("proxy on"))).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]
      .flatMap((host) => [`Upgrading proxy on ${host}...`, `Upgraded proxy on ${host}`]));
    const calls = recorder.calls();
    const firstAppRun = calls.findIndex((c) => c.host === "1.1.1.1" && c.line.includes("--name app-web-42 "));
    const secondTraefik = calls.findIndex((c) => c.host === "1.1.1.2" && c.line === TRAEFIK);
    expect(firstAppRun).toBeGreaterThan(-1);
    expect(secondTraefik).toBeGreaterThan(firstAppRun);
    expect(calls.filter((c) => c.line.startsWith("/usr/bin/env mkdir .kamal/lock-app"))).toHaveLength(1);
  });
});

describe("proxy remove steps", () => {
  test("remove_container, remove_image and remove_proxy_directory run on the proxy hosts only", async () => {
    const container = testContext(config());
    await removal.removeContainer(container.ctx);
    expect(sent(container.recorder.commands("1.1.1.2"))).toEqual(["docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy"]);
    expect(sent(container.recorder.commands("1.1.1.3"))).toEqual([]);

    const image = testContext(config());
    await removal.removeImage(image.ctx);
    expect(sent(image.recorder.commands("1.1.1.1"))).toEqual(["docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy"]);

    const directory = testContext(config(), { answers: [{ match: "rm -r .kamal/proxy", result: { code: 1, stderr: "No such file or directory" } }] });
    await removal.removeProxyDirectory(directory.ctx);
    expect(sent(directory.recorder.commands("1.1.1.1"))).toEqual(["/usr/bin/env rm -r .kamal/proxy"]);
  });

  test("remove leaves the proxy in place while other apps are installed", async () => {
    const { ctx, recorder, report } = testContext(config(), { answers: [{ match: "ls .kamal/apps", result: { stdout: "1" } }] });
    await removal.remove(ctx, false);
    expect(recorder.commands().some((l) => l.includes("kamal-proxy"))).toBe(false);
    expect(report.events.some((e) => e.type === "warn" && e.message.startsWith("Not removing the proxy"))).toBe(true);
  });
});

describe("upgrade (proxy and accessories)", () => {
  test("--rolling goes host by host: the proxy and app on app hosts, the accessories where they run", async () => {
    const { ctx, recorder, report } = testContext(config(), { answers: ANSWERS });
    await main.upgrade(ctx, true, undefined);
    const titles = steps(report.events).filter((t) => /^Upgrad(ing|ed) (1|proxy|all accessories)/.test(t));
    expect(titles).toEqual([
      "Upgrading 1.1.1.1...", "Upgrading proxy on 1.1.1.1...", "Upgraded proxy on 1.1.1.1", "Upgraded 1.1.1.1",
      "Upgrading 1.1.1.2...", "Upgrading proxy on 1.1.1.2...", "Upgraded proxy on 1.1.1.2", "Upgraded 1.1.1.2",
      "Upgrading 1.1.1.3...", "Upgrading proxy on 1.1.1.3...", "Upgraded proxy on 1.1.1.3", "Upgraded 1.1.1.3",
      "Upgrading 1.1.1.4...", "Upgrading all accessories on 1.1.1.4...", "Upgraded all accessories on 1.1.1.4...", "Upgraded 1.1.1.4",
    ]);
    expect(sent(recorder.commands("1.1.1.4"))).not.toContain(TRAEFIK);
    expect(recorder.commands("1.1.1.4").some((l) => l.startsWith("docker run --name app-redis "))).toBe(true);
    expect(recorder.commands().filter((l) => l.startsWith("/usr/bin/env mkdir .kamal/lock-app"))).toHaveLength(1);
  });

  test("at once: the proxy upgrade on every host, then the accessories", async () => {
    const { ctx, report } = testContext(config(), { answers: ANSWERS });
    await main.upgrade(ctx, false, undefined);
    expect(steps(report.events).filter((t) => /^Upgrad(ing|ed) (all|proxy)/.test(t))).toEqual([
      "Upgrading all hosts...",
      "Upgrading proxy on 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4...", "Upgraded proxy on 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4",
      "Upgrading all accessories on 1.1.1.4...", "Upgraded all accessories on 1.1.1.4...",
      "Upgraded all hosts",
    ]);
  });
});
