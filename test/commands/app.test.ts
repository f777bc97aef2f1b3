import { describe, expect, it } from "vitest";
import * as app from "../../src/commands/app.ts";
import { render } from "../../src/commands/shell.ts";
import { Secret } from "../../src/config/secret.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

const LABELS = '--label service="app" --label role="web" --label destination';
const CURRENT_ID = "sh -c 'docker ps --latest --quiet --filter label=service=app --filter label=destination= --filter label=role=web --filter status=running --filter status=restarting --filter ancestor=$(docker image ls --filter reference=dhh/app:latest --format '\\''{{.ID}}'\\'') ; docker ps --latest --quiet --filter label=service=app --filter label=destination= --filter label=role=web --filter status=running --filter status=restarting' | head -1";

describe("app.run", () => {
  const cases: [string, string, { role?: string; host?: string; destination?: string; hostname?: string }, string][] = [
    ["a plain web role", TWO_ROLES(), {},
      `docker run --detach --restart unless-stopped --name app-web-999 --network kamal --env KAMAL_CONTAINER_NAME="app-web-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" ${LABELS} dhh/app:999`],
    ["a destination", TWO_ROLES(), { destination: "staging" },
      'docker run --detach --restart unless-stopped --name app-web-staging-999 --network kamal --env KAMAL_CONTAINER_NAME="app-web-staging-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env KAMAL_DESTINATION="staging" --env-file .kamal/apps/app-staging/env/roles/web.env --log-opt max-size="10m" --label service="app" --label role="web" --label destination="staging" dhh/app:999'],
    ["the boot hostname after the network", TWO_ROLES(), { hostname: "1.1.1.1-0123456789ab" },
      `docker run --detach --restart unless-stopped --name app-web-999 --network kamal --hostname 1.1.1.1-0123456789ab --env KAMAL_CONTAINER_NAME="app-web-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" ${LABELS} dhh/app:999`],
    ["clear env: escaped values, bare empty ones, false", TWO_ROLES('env:\n  clear:\n    DB: "db host"\n    EMPTY: ""\n    DEBUG: false\n    PRICE: "$5"\n'), {},
      `docker run --detach --restart unless-stopped --name app-web-999 --network kamal --env KAMAL_CONTAINER_NAME="app-web-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env DB="db host" --env EMPTY --env DEBUG=false --env PRICE="\\$5" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" ${LABELS} dhh/app:999`],
    ["root volumes as written", TWO_ROLES('volumes:\n- "/local/path:/container/path"\n'), {},
      `docker run --detach --restart unless-stopped --name app-web-999 --network kamal --env KAMAL_CONTAINER_NAME="app-web-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" --volume /local/path:/container/path ${LABELS} dhh/app:999`],
    ["the asset volume of a proxied role", TWO_ROLES("asset_path: /public/assets:ro\n"), {},
      `docker run --detach --restart unless-stopped --name app-web-999 --network kamal --env KAMAL_CONTAINER_NAME="app-web-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" --volume $PWD/.kamal/apps/app/assets/volumes/web-999:/public/assets:ro ${LABELS} dhh/app:999`],
    ["root and role labels after the defaults", TWO_ROLES('labels:\n  team: core\n'), {},
      `docker run --detach --restart unless-stopped --name app-web-999 --network kamal --env KAMAL_CONTAINER_NAME="app-web-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.1" --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size="10m" ${LABELS} --label team="core" dhh/app:999`],
  ];
  for (const [name, yaml, opts, expected] of cases) {
    it(`renders ${name}`, () => {
      const config = load(yaml, { destination: opts.destination });
      const role = roleOf(config, opts.role ?? "web");
      expect(render(app.run(config, role, opts.host ?? "1.1.1.1", { hostname: opts.hostname }))).toBe(expected);
    });
  }

  it("puts role options (minus restart) after the labels and the role cmd last", () => {
    const config = load(`${TWO_ROLES().replace("  workers:\n  - 1.1.1.2\n", "")}  jobs:
    hosts:
    - 1.1.1.2
    cmd: bin/jobs
    options:
      restart: on-failure
      mount: somewhere
      cap-add: true
`);
    expect(render(app.run(config, roleOf(config, "jobs"), "1.1.1.2"))).toBe(
      'docker run --detach --restart on-failure --name app-jobs-999 --network kamal --env KAMAL_CONTAINER_NAME="app-jobs-999" --env KAMAL_VERSION="999" --env KAMAL_HOST="1.1.1.2" --env-file .kamal/apps/app/env/roles/jobs.env --log-opt max-size="10m" --label service="app" --label role="jobs" --label destination --mount "somewhere" --cap-add dhh/app:999 bin/jobs');
  });
});

describe("app start, stop, status", () => {
  const config = load(TWO_ROLES());
  const web = roleOf(config, "web");
  const workers = roleOf(config, "workers");

  it("starts the configured version", () => {
    expect(render(app.start(config, web))).toBe("docker start app-web-999");
  });
  it("stops a proxied role's current container without waiting", () => {
    expect(render(app.stop(config, web))).toBe(`${CURRENT_ID} | xargs docker stop`);
  });
  it("gives a role without the proxy drain_timeout seconds", () => {
    expect(render(app.stop(config, workers, { version: "888" }))).toBe(
      "docker container ls --all --filter 'name=^app-workers-888$' --quiet | xargs docker stop -t 30");
  });
  it("prefers stop_timeout for every role", () => {
    const timed = load(TWO_ROLES("stop_timeout: 60\n"));
    expect(render(app.stop(timed, roleOf(timed, "web"), { version: "123" }))).toBe(
      "docker container ls --all --filter 'name=^app-web-123$' --quiet | xargs docker stop -t 60");
  });
  it("reads a version's health or state", () => {
    expect(render(app.status(config, workers, "123"))).toBe(
      "docker container ls --all --filter 'name=^app-workers-123$' --quiet | xargs docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}'");
  });
});

describe("app env file", () => {
  const config = load(TWO_ROLES(), { destination: "staging" });
  it("lives under the app directory, per role", () => {
    expect(app.envFilePath(config, roleOf(config, "workers"))).toBe(".kamal/apps/app-staging/env/roles/workers.env");
    expect(render(app.ensureEnvDirectory(config))).toBe("mkdir -p .kamal/apps/app-staging/env/roles");
  });
  it("holds the secrets, escaped for docker, and prints as [REDACTED]", () => {
    const body = app.envFileContents({ clear: {}, secrets: [["DB_PASSWORD", new Secret('p@ss"$w\\rd')]] });
    expect(String(body)).toBe("[REDACTED]");
    expect(body.reveal()).toBe('DB_PASSWORD=p@ss"$w\\\\rd\n');
  });
});

describe("app naming helpers", () => {
  it("derives the boot hostname from the host, at most 51 characters, without a trailing dot", () => {
    expect(app.containerHostname("1.1.1.1", "27fffde28302")).toBe("1.1.1.1-27fffde28302");
    expect(app.containerHostname(`${"a".repeat(50)}.example.com`, "0123456789ab")).toBe(`${"a".repeat(50)}-0123456789ab`);
  });
  it("names the version of a renamed clashing container", () => {
    expect(app.replacedVersion("999", "a6e68c2b8cc2dc94")).toBe("999_replaced_a6e68c2b8cc2dc94");
  });
});
