import { describe, expect, it } from "vitest";
import * as exec from "../../src/commands/app-exec.ts";
import { render } from "../../src/commands/shell.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

const config = load(TWO_ROLES("env:\n  tags:\n    tag1:\n      ENV1: value1\n").replace("  - 1.1.1.1\n", "  - 1.1.1.1: tag1\n"));
const web = roleOf(config, "web");
const cmd = ["bin/rails", "db:setup"];

describe("exec in a new container", () => {
  const cases: [string, Parameters<typeof exec.executeInNewContainer>[4], string][] = [
    ["removed afterwards", { suffix: "8d766b" },
      'docker run --rm --name app-web-exec-999-8d766b --network kamal --env ENV1="value1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" dhh/app:999 bin/rails db:setup'],
    ["detached", { suffix: "8d766b", detach: true },
      'docker run --detach --name app-web-exec-999-8d766b --network kamal --env ENV1="value1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" dhh/app:999 bin/rails db:setup'],
    ["with -e env after the env file", { suffix: "8d766b", env: { foo: "bar" } },
      'docker run --rm --name app-web-exec-999-8d766b --network kamal --env ENV1="value1" --env-file .kamal/apps/app/env/roles/web.env --env foo="bar" --log-opt max-size="10m" dhh/app:999 bin/rails db:setup'],
    ["interactive from piped input", { suffix: "8d766b", interactive: "pipe" },
      'docker run -i --rm --name app-web-exec-999-8d766b --network kamal --env ENV1="value1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" dhh/app:999 bin/rails db:setup'],
  ];
  for (const [name, opts, expected] of cases)
    it(`runs ${name}`, () => expect(render(exec.executeInNewContainer(config, web, "1.1.1.1", cmd, opts))).toBe(expected));

  it("wraps an interactive one in ssh -t for the host", () => {
    expect(render(exec.executeInNewContainerOverSsh(config, web, "1.1.1.1", ["bin/rails", "c"], { suffix: "8d766b" }))).toBe(
      "ssh -t root@1.1.1.1 -p 22 'docker run -it --rm --name app-web-exec-999-8d766b --network kamal --env ENV1=\"value1\" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size=\"10m\" dhh/app:999 bin/rails c'");
  });
});

describe("exec in the running container", () => {
  it("runs the command with -e env", () => {
    expect(render(exec.executeInExistingContainer(config, web, cmd, { env: { foo: "bar" } }))).toBe(
      'docker exec --env foo="bar" app-web-999 bin/rails db:setup');
  });
  it("uses -it over ssh with a terminal and -i without", () => {
    expect(render(exec.executeInExistingContainerOverSsh(config, web, "1.1.1.1", ["bin/rails", "c"]))).toBe(
      "ssh -t root@1.1.1.1 -p 22 'docker exec -it app-web-999 bin/rails c'");
    expect(render(exec.executeInExistingContainerOverSsh(config, web, "1.1.1.1", ["bin/rails", "c"], { tty: false }))).toBe(
      "ssh -t root@1.1.1.1 -p 22 'docker exec -i app-web-999 bin/rails c'");
  });
});
