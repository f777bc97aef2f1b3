import { describe, expect, it } from "vitest";
import * as canary from "../../src/commands/canary.ts";
import * as rollout from "../../src/commands/rollout.ts";
import { render } from "../../src/commands/shell.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

describe("kamal-proxy's rollout (kamal-proxy v0.9.2 internal/cmd/rollout_*.go)", () => {
  const config = load(TWO_ROLES("proxy:\n  app_port: 3000\ndeploy_timeout: 20\ndrain_timeout: 5\n"));
  const web = roleOf(config, "web");

  it("deploys a container as the service's rollout target with the deploy's timeouts", () => {
    expect(render(rollout.deploy(config, web, "c0ffee123456"))).toBe(
      'docker exec kamal-proxy kamal-proxy rollout deploy app-web --target="c0ffee123456:3000" --deploy-timeout="20s" --drain-timeout="5s"');
  });
  it("sets the percentage and stops the rollout", () => {
    expect(render(rollout.setPercent(web, 30))).toBe("docker exec kamal-proxy kamal-proxy rollout set app-web --percent=30");
    expect(render(rollout.stop(web))).toBe("docker exec kamal-proxy kamal-proxy rollout stop app-web");
  });
  it("reads the proxy's saved state from the kamal-proxy-config volume", () => {
    expect(render(rollout.readState())).toBe("docker exec kamal-proxy cat /home/kamal-proxy/.config/kamal-proxy/kamal-proxy.state");
  });
  it("refuses a role that does not run the proxy", () => {
    expect(() => rollout.deploy(config, roleOf(config, "workers"), "x")).toThrow("role workers does not run behind kamal-proxy");
  });
});

describe("canary containers", () => {
  const config = load(TWO_ROLES(), { destination: "staging" });
  const web = roleOf(config, "web");

  it("runs Kamal's container for the version with the canary label after Kamal's labels", () => {
    expect(render(canary.run(config, web, "1.1.1.1", "1.1.1.1-abc"))).toBe(
      "docker run --detach --restart unless-stopped --name app-web-staging-999 --network kamal --hostname 1.1.1.1-abc " +
      '--env KAMAL_CONTAINER_NAME="app-web-staging-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" ' +
      '--env KAMAL_DESTINATION="staging" --env-file .kamal/apps/app-staging/env/roles/web.env --log-opt max-size="10m" ' +
      '--label service="app" --label role="web" --label destination="staging" --label sextant.canary="999" dhh/app:999');
  });
  it("lists the role's canary containers in any state", () => {
    expect(render(canary.list(config, web))).toBe(
      "docker container ls --all --filter label=service=app --filter label=destination=staging --filter label=role=web " +
      `--filter label=sextant.canary --format '{{.ID}} {{.Names}} {{.State}} {{.Label "sextant.canary"}}'`);
  });
  it("stops and removes them by name", () => {
    expect(render(canary.stop(config, web, ["app-web-staging-999", "app-web-staging-999_replaced_0011"]))).toBe(
      "docker stop app-web-staging-999 app-web-staging-999_replaced_0011");
    expect(render(canary.remove(["app-web-staging-999"]))).toBe("docker container rm app-web-staging-999");
  });
});
