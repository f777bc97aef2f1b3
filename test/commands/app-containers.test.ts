import { describe, expect, it } from "vitest";
import * as containers from "../../src/commands/app-containers.ts";
import { render } from "../../src/commands/shell.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

const plain = load(TWO_ROLES());
const staging = load(TWO_ROLES(), { destination: "staging" });
const web = roleOf(plain, "web");

describe("app containers and images", () => {
  const cases: [string, () => string, string][] = [
    ["all of a role's containers", () => render(containers.listContainers(staging, roleOf(staging, "web"))),
      "docker container ls --all --filter label=service=app --filter label=destination=staging --filter label=role=web"],
    ["all of the service's containers (`app containers`)", () => render(containers.listContainers(plain, undefined)),
      "docker container ls --all --filter label=service=app --filter label=destination="],
    ["container names", () => render(containers.listContainerNames(plain, web)),
      "docker container ls --all --filter label=service=app --filter label=destination= --filter label=role=web --format '{{ .Names }}'"],
    ["removing one version's container", () => render(containers.removeContainer(staging, roleOf(staging, "web"), "999")),
      "docker container ls --all --filter 'name=^app-web-staging-999$' --quiet | xargs docker container rm"],
    ["renaming a clashing container", () => render(containers.renameContainer(plain, web, "999", "999_replaced_a6e68c2b8cc2dc94")),
      "docker rename app-web-999 app-web-999_replaced_a6e68c2b8cc2dc94"],
    ["pruning a role's stopped containers", () => render(containers.removeContainers(plain, web)),
      "docker container prune --force --filter label=service=app --filter label=destination= --filter label=role=web"],
    ["a version's health log", () => render(containers.containerHealthLog(plain, web, "999")),
      "docker container ls --all --filter 'name=^app-web-999$' --quiet | xargs docker inspect --format '{{json .State.Health}}'"],
    ["the service's images", () => render(containers.listImages(plain)), "docker image ls dhh/app"],
    ["removing the service's images", () => render(containers.removeImages(staging)), "docker image prune --all --force --filter label=service=app"],
    ["tagging the latest image", () => render(containers.tagLatestImage(plain)), "docker tag dhh/app:999 dhh/app:latest"],
    ["tagging the latest image of a destination", () => render(containers.tagLatestImage(staging)), "docker tag dhh/app:999 dhh/app:latest-staging"],
  ];
  for (const [name, build, expected] of cases) it(`builds ${name}`, () => expect(build()).toBe(expected));
});
