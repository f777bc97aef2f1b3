// The round trips a deploy costs each host, pinned per phase: every executor call is one round trip to the host's
// shell session (a script's steps share theirs). Over a 50 ms link each one is 50 ms on that host's path, so a new
// one here should be a choice, made together with the bench's figures (scripts/bench-deploy.ts).
import { describe, expect, test } from "vitest";
import { phaseOf } from "../../scripts/deploy-phases.ts";
import { deploy } from "../../src/flows/deploy.ts";
import type { Recorder } from "../../src/exec/recorder.ts";
import { configFromYaml } from "../support/config.ts";
import { testContext } from "../support/context.ts";

const yaml = (hosts: readonly string[]) => `service: app
image: dhh/app
servers: [${hosts.join(", ")}]
registry:
  server: registry.test:5000
  username: deployer
  password: [REGISTRY_PASSWORD]
builder:
  arch: amd64
`;

/** The phase of each of a host's round trips, in order. */
function roundTrips(recorder: Recorder, host: string): string[] {
  const trips = new Map<number, string[]>();
  for (const call of recorder.calls(host)) trips.set(call.trip, [...(trips.get(call.trip) ?? []), call.line]);
  return [...trips.values()].map((lines) => phaseOf(lines.map((l) => l.replace(/^\/usr\/bin\/env /, ""))));
}

/** A redeploy over a running version: the host answers with the running container, and the new one is healthy. */
async function redeploy(hosts: readonly string[]): Promise<Recorder> {
  const config = configFromYaml(yaml(hosts), { version: "999", secrets: { REGISTRY_PASSWORD: "hunter2" } });
  const { ctx, recorder } = testContext(config, {
    answers: [
      { match: /head -1 \| while read/, result: { stdout: "888" } },
      { match: "--filter 'name=^app-web-999$' --quiet", result: { stdout: "" }, times: hosts.length },
      { match: "--filter 'name=^app-web-999$' --quiet", result: { stdout: "c0ffee" } },
    ],
  });
  await deploy(ctx, { skipPush: true });
  return recorder;
}

describe("a deploy's round trips per host", () => {
  test("one host: seven; the login rides with the pull, the env file with docker run", async () => {
    expect(roundTrips(await redeploy(["1.1.1.1"]), "1.1.1.1")).toEqual([
      "registry login + pull image", "lock", "proxy + host state", "env file + run new container",
      "proxy switch", "stop old, tag, prune", "unlock",
    ]);
  });

  test("several hosts: the mirror probe rides with each login, .kamal made on the others while the primary takes the lock", async () => {
    const recorder = await redeploy(["1.1.1.1", "1.1.1.2"]);
    expect(roundTrips(recorder, "1.1.1.1")).toEqual([
      "registry login + mirror probe", "pull image", "lock", "proxy + host state", "env file + run new container",
      "proxy switch", "stop old, tag, prune", "unlock",
    ]);
    expect(roundTrips(recorder, "1.1.1.2")).toEqual([
      "registry login + mirror probe", "pull image", "make .kamal (lock)", "proxy + host state", "env file + run new container",
      "proxy switch", "stop old, tag, prune",
    ]);
  });
});
