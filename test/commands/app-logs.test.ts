import { describe, expect, it } from "vitest";
import * as logs from "../../src/commands/app-logs.ts";
import { render } from "../../src/commands/shell.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

const config = load(TWO_ROLES());
const web = roleOf(config, "web");
const FILTERS = "--filter label=service=app --filter label=destination= --filter label=role=web --filter status=running --filter status=restarting";
const CURRENT = `sh -c 'docker ps --latest --quiet ${FILTERS} --filter ancestor=$(docker image ls --filter reference=dhh/app:latest --format '\\''{{.ID}}'\\'') ; docker ps --latest --quiet ${FILTERS}' | head -1`;
// Inside `ssh -t '...'` every quote of the id query is escaped once more.
const CURRENT_OVER_SSH = `sh -c '\\''docker ps --latest --quiet ${FILTERS} --filter ancestor=$(docker image ls --filter reference=dhh/app:latest --format '\\''\\'\\'''\\''{{.ID}}'\\''\\'\\'''\\'') ; docker ps --latest --quiet ${FILTERS}'\\'' | head -1`;

describe("app.logs", () => {
  const cases: [logs.LogOptions, string][] = [
    [{}, `${CURRENT} | xargs docker logs --timestamps 2>&1`],
    [{ containerId: "C137" }, "sh -c 'echo C137' | xargs docker logs --timestamps 2>&1"],
    [{ since: "5m", lines: 100 }, `${CURRENT} | xargs docker logs --timestamps --since 5m --tail 100 2>&1`],
    [{ grep: "my-id", grepOptions: "-C 2", since: "5m" }, `${CURRENT} | xargs docker logs --timestamps --since 5m 2>&1 | grep 'my-id' -C 2`],
    [{ timestamps: false, grep: "my-id" }, `${CURRENT} | xargs docker logs 2>&1 | grep 'my-id'`],
  ];
  for (const [opts, expected] of cases) it(`reads ${JSON.stringify(opts)}`, () => expect(render(logs.logs(config, web, opts))).toBe(expected));
});

describe("app.followLogs", () => {
  it("follows the current container over ssh, grepping with double quotes", () => {
    expect(render(logs.followLogs(config, web, "app-1", { lines: 123, grep: "Completed" }))).toBe(
      `ssh -t root@app-1 -p 22 '${CURRENT_OVER_SSH} | xargs docker logs --timestamps --tail 123 --follow 2>&1 | grep "Completed"'`);
  });
  it("follows a given container", () => {
    expect(render(logs.followLogs(config, web, "app-1", { containerId: "ID321", timestamps: false }))).toBe(
      "ssh -t root@app-1 -p 22 'sh -c '\\''echo ID321'\\'' | xargs docker logs --follow 2>&1'");
  });
});
