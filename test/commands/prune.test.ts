import { describe, expect, it } from "vitest";
import * as prune from "../../src/commands/prune.ts";
import { render } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const config = load(`${BASE}servers:\n- 1.1.1.1\n`, { destination: "staging" });

describe("prune commands", () => {
  const cases: [string, string, string][] = [
    ["prune dangling images", render(prune.danglingImages(config)), "docker image prune --force --filter label=service=app"],
    ["prune tagged images", render(prune.taggedImages(config)),
      "docker image ls --filter label=service=app --format '{{.ID}} {{.Repository}}:{{.Tag}}' | grep -v -w \"$(docker container ls -a --format '{{.Image}}\\|' --filter label=service=app | tr -d '\\n')dhh/app:latest-staging\\|dhh/app:<none>\" | while read image tag; do docker rmi $tag; done"],
    ["prune containers keeping 5", render(prune.appContainers(config, 5)),
      "docker ps -q -a --filter label=service=app --filter status=created --filter status=exited --filter status=dead | tail -n +6 | while read container_id; do docker rm $container_id; done"],
  ];
  for (const [what, built, expected] of cases) it(`builds ${what}`, () => expect(built).toBe(expected));
});
