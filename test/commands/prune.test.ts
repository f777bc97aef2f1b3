import { describe, expect, it } from "vitest";
import * as prune from "../../src/commands/prune.ts";
import { render } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const staging = load(`${BASE}servers:\n- 1.1.1.1\n`, { destination: "staging" });
const plain = load(`${BASE}servers:\n- 1.1.1.1\n`);

describe("prune commands", () => {
  const cases: [string, string, string][] = [
    ["prune dangling images", render(prune.danglingImages(staging)), "docker image prune --force --filter label=service=app"],
    ["prune tagged images, keeping every latest tag of any destination and repository", render(prune.taggedImages(staging)),
      "docker image ls --filter label=service=app --format '{{.ID}} {{.Repository}}:{{.Tag}}' | grep -v -w \"$(docker container ls -a --format '{{.Image}}\\|' --filter label=service=app | tr -d '\\n')dhh/app:<none>\\|[^ ]*:latest\\(-[^ ]*\\)\\?$\" | while read image tag; do docker rmi $tag; done"],
    ["prune containers of the destination keeping 5", render(prune.appContainers(staging, 5)),
      "docker ps -q -a --filter label=service=app --filter label=destination=staging --filter status=created --filter status=exited --filter status=dead | tail -n +6 | while read container_id; do docker rm $container_id; done"],
    ["prune containers without a destination keeping 3", render(prune.appContainers(plain, 3)),
      "docker ps -q -a --filter label=service=app --filter label=destination= --filter status=created --filter status=exited --filter status=dead | tail -n +4 | while read container_id; do docker rm $container_id; done"],
  ];
  for (const [what, built, expected] of cases) it(`builds ${what}`, () => expect(built).toBe(expected));
});
