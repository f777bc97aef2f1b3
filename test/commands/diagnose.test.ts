import { describe, expect, it } from "vitest";
import * as diagnose from "../../src/commands/diagnose.ts";
import { render } from "../../src/commands/shell.ts";

describe("diagnosis commands", () => {
  it("reads kamal-proxy's failed checks of one container over the last seconds", () => {
    expect(render(diagnose.failedHealthChecks("0123456789ab", 90))).toBe(
      `docker logs kamal-proxy --since 90s 2>&1 | grep -F '"msg":"Healthcheck failed"' | grep -F //0123456789ab: | tail -n 20`);
  });

  it("reads the container's state, restart count and memory limit, not its environment", () => {
    expect(render(diagnose.containerState("0123456789ab"))).toBe(
      `docker inspect --format '{"state":{{json .State}},"restarts":{{.RestartCount}},"memory":{{.HostConfig.Memory}}}' 0123456789ab`);
  });

  it("refuses anything but a container id", () => {
    expect(() => diagnose.containerState("abc; rm -rf /")).toThrow('not a container id: "abc; rm -rf /"');
  });
});
