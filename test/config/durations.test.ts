import { describe, expect, test } from "vitest";
import { resolveFromYaml } from "../support/config.ts";

// Zero and negative seconds that would reach kamal-proxy are config errors, each at the line that wrote it.
const BASE = `service: app
image: dhh/app
registry: { username: u, password: p }
builder: { arch: amd64 }
`;

function issuesOf(snippet: string): string[] {
  const yaml = snippet.includes("servers:") ? BASE + snippet : `${BASE}servers: [1.1.1.1]\n${snippet}`;
  const result = resolveFromYaml(yaml);
  if (!("issues" in result)) return ["OK"];
  return result.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}${i.fix ? ` | fix: ${i.fix}` : ""}`);
}

describe("durations sent to kamal-proxy", () => {
  test("a zero health check interval is refused, since kamal-proxy would panic on it", () => {
    expect(issuesOf("proxy:\n  healthcheck:\n    interval: 0")).toEqual([
      "8:5 proxy/healthcheck/interval: must be more than 0 seconds, got 0: kamal-proxy panics on an interval that is not positive, stopping every app on the host | fix: set it to 1 or more, or remove it for the default (1)",
    ]);
  });

  test("negative health check timeout and response timeout in a role's proxy", () => {
    expect(issuesOf("servers:\n  web:\n    hosts: [1.1.1.1]\n    proxy:\n      response_timeout: -1\n      healthcheck: { timeout: 0 }")).toEqual([
      "9:7 servers/web/proxy/response_timeout: must be more than 0 seconds, got -1: kamal-proxy would time out every request at once | fix: set it to 1 or more, or remove it for the default (30)",
      "10:22 servers/web/proxy/healthcheck/timeout: must be more than 0 seconds, got 0: every health check would time out, so no container could become healthy | fix: set it to 1 or more, or remove it for the default (5)",
    ]);
  });

  test("an accessory's proxy is checked too", () => {
    expect(issuesOf("accessories:\n  search:\n    image: search:1\n    host: 1.1.1.1\n    proxy:\n      host: search.example.com\n      healthcheck: { interval: -5 }")).toEqual([
      "12:22 accessories/search/proxy/healthcheck/interval: must be more than 0 seconds, got -5: kamal-proxy panics on an interval that is not positive, stopping every app on the host | fix: set it to 1 or more, or remove it for the default (1)",
    ]);
  });

  test("deploy and drain timeouts must be positive; readiness_delay may be 0 but not negative", () => {
    expect(issuesOf("deploy_timeout: 0\ndrain_timeout: -3\nreadiness_delay: -1")).toEqual([
      "6:1 deploy_timeout: must be more than 0 seconds, got 0: kamal-proxy would give a new container no time to become healthy | fix: set it to 1 or more, or remove it for the default (30)",
      "7:1 drain_timeout: must be more than 0 seconds, got -3: kamal-proxy would cut off the requests old containers are still answering | fix: set it to 1 or more, or remove it for the default (30)",
      "8:1 readiness_delay: must not be negative, got -1 | fix: set it to 0 (no delay) or more, or remove it for the default (7)",
    ]);
  });

  test("positive values, readiness_delay 0 and a role without a proxy hash pass", () => {
    expect(issuesOf("readiness_delay: 0\ndeploy_timeout: 10\nproxy: { healthcheck: { interval: 1, timeout: 2 }, response_timeout: 5 }\nservers:\n  web: [1.1.1.1]\n  jobs:\n    hosts: [1.1.1.2]\n    proxy: false")).toEqual(["OK"]);
  });
});
