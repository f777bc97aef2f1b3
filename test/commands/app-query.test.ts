import { describe, expect, it } from "vitest";
import * as query from "../../src/commands/app-query.ts";
import { render } from "../../src/commands/shell.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

const plain = load(TWO_ROLES());
const staging = load(TWO_ROLES(), { destination: "staging" });

describe("finding an app role's containers", () => {
  const cases: [string, () => string, string][] = [
    ["a container id by exact name, any state", () => render(query.containerIdFor("app-999")),
      "docker container ls --all --filter 'name=^app-999$' --quiet"],
    ["a running container id by exact name", () => render(query.containerIdFor("shop-search", true)),
      "docker container ls --filter 'name=^shop-search$' --quiet"],
    ["a version's container id", () => render(query.containerIdForVersion(plain, roleOf(plain, "web"), "123")),
      "docker container ls --all --filter 'name=^app-web-123$' --quiet"],
    ["the current running container, preferring the latest-tagged image",
      () => render(query.currentRunningContainerId(staging, roleOf(staging, "web"))),
      "sh -c 'docker ps --latest --quiet --filter label=service=app --filter label=destination=staging --filter label=role=web --filter status=running --filter status=restarting --filter ancestor=$(docker image ls --filter reference=dhh/app:latest-staging --format '\\''{{.ID}}'\\'') ; docker ps --latest --quiet --filter label=service=app --filter label=destination=staging --filter label=role=web --filter status=running --filter status=restarting' | head -1"],
    ["the current running version", () => render(query.currentRunningVersion(plain, roleOf(plain, "web"))),
      "sh -c 'docker ps --latest --format '\\''{{.Names}}'\\'' --filter label=service=app --filter label=destination= --filter label=role=web --filter status=running --filter status=restarting --filter ancestor=$(docker image ls --filter reference=dhh/app:latest --format '\\''{{.ID}}'\\'') ; docker ps --latest --format '\\''{{.Names}}'\\'' --filter label=service=app --filter label=destination= --filter label=role=web --filter status=running --filter status=restarting' | head -1 | while read line; do echo ${line#app-web-}; done"],
    ["the versions of running containers (stale detection)", () => render(query.listVersions(plain, roleOf(plain, "workers"))),
      'docker ps --filter label=service=app --filter label=destination= --filter label=role=workers --format "{{.Names}}" | while read line; do echo ${line#app-workers-}; done'],
    ["versions with docker args and statuses",
      () => render(query.listVersions(staging, roleOf(staging, "web"), { dockerArgs: ["--latest"], statuses: ["running", "restarting"] })),
      'docker ps --filter label=service=app --filter label=destination=staging --filter label=role=web --filter status=running --filter status=restarting --latest --format "{{.Names}}" | while read line; do echo ${line#app-web-staging-}; done'],
    ["the role's containers for `app details`", () => render(query.info(plain, roleOf(plain, "web"))),
      "docker ps --filter label=service=app --filter label=destination= --filter label=role=web"],
  ];
  for (const [name, build, expected] of cases) it(`builds ${name}`, () => expect(build()).toBe(expected));
});
