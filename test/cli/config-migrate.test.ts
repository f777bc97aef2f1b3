import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { appDir, buildCli, cleanEnv, ROOT, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const run = (cwd: string, args: string[]) => runCli(bin, args, { cwd, env: cleanEnv({ VERSION: "999" }) });

/** A copy of the Kamal 1 fixture app (config/deploy.yml, deploy.staging.yml, .env.erb, .env.staging). */
function kamal1App(): string {
  const dir = appDir();
  cpSync(resolve(ROOT, "fixtures/kamal1-app"), dir, { recursive: true });
  return dir;
}

test("prints the migration as a diff on stdout, the notes on stderr, and writes nothing", async () => {
  const dir = kamal1App();
  const before = readFileSync(join(dir, "config/deploy.yml"), "utf8");
  const result = await run(dir, ["config", "migrate", "-d", "staging"]);
  expect(result.code).toBe(0);
  expect(result.stderr).toMatchInlineSnapshot(`
    "warning: config/deploy.yml: traefik/options: Traefik's options { publish: ["443:443"], volume: ["/letsencrypt/acme.json:/letsencrypt/acme.json"] } has no kamal-proxy equivalent; removed
    warning: config/deploy.yml: traefik/args/entryPoints.web.address: (:80) configured Traefik; kamal-proxy has no equivalent; removed
    warning: config/deploy.yml: traefik/args/entryPoints.websecure.address: (:443) configured Traefik; kamal-proxy has no equivalent; removed
    warning: config/deploy.yml: traefik/args/certificatesResolvers.letsencrypt.acme.email: (ops@example.com) configured Traefik; kamal-proxy has no equivalent; removed
    warning: config/deploy.yml: traefik/args/certificatesResolvers.letsencrypt.acme.httpchallenge.entrypoint: (web) configured Traefik; kamal-proxy has no equivalent; removed
    warning: config/deploy.yml: servers/web/labels/traefik.http.routers.hey.entrypoints: only wired the container into Traefik; kamal-proxy needs no equivalent; removed
    Nothing written: run \`sextant config migrate --write\` to apply these changes
    "
  `);
  expect(readFileSync(join(dir, "config/deploy.yml"), "utf8")).toBe(before);
  expect(existsSync(join(dir, ".kamal/secrets"))).toBe(false);
  // The diff is a patch: applying it gives what --write writes.
  writeFileSync(join(dir, "migrate.patch"), result.stdout);
  const applied = spawnSync("git", ["apply", "migrate.patch"], { cwd: dir, encoding: "utf8" });
  expect(applied.stderr).toBe("");
  const written = kamal1App();
  expect((await run(written, ["config", "migrate", "-d", "staging", "--write"])).code).toBe(0);
  for (const file of ["config/deploy.yml", "config/deploy.staging.yml", ".kamal/secrets", ".kamal/secrets.staging"])
    expect(readFileSync(join(dir, file), "utf8")).toBe(readFileSync(join(written, file), "utf8"));
});

test("--write rewrites the config, creates .kamal/secrets (0600), and the result loads", async () => {
  const dir = kamal1App();
  const result = await run(dir, ["config", "migrate", "--write"]);
  expect(result.code).toBe(0);
  expect(result.stderr.split("\n").filter((line) => !line.includes("removed"))).toMatchInlineSnapshot(`
    [
      "Wrote config/deploy.yml",
      "Wrote config/deploy.staging.yml",
      "Wrote .kamal/secrets",
      "Wrote .kamal/secrets.staging",
      "Next: \`sextant upgrade\` moves the hosts from Traefik to kamal-proxy",
      "",
    ]
  `);
  expect(readFileSync(join(dir, ".kamal/secrets"), "utf8")).toMatchInlineSnapshot(`
    "# Migrated from .env.erb by \`sextant config migrate\`
    KAMAL_REGISTRY_PASSWORD=$(gh config get -h github.com oauth_token)
    RAILS_MASTER_KEY=$(cat config/master.key)
    "
  `);
  expect(statSync(join(dir, ".kamal/secrets")).mode & 0o777).toBe(0o600);

  const config = await run(dir, ["config", "-d", "staging"]);
  expect(config.stderr).toBe("");
  expect(config.code).toBe(0);
  expect(config.stdout).toContain(":primary_host: 192.168.1.1\n");

  const again = await run(dir, ["config", "migrate"]);
  expect([again.code, again.stdout, again.stderr]).toMatchInlineSnapshot(`
    [
      0,
      "",
      "config/deploy.yml needs no changes for Kamal 2
    ",
    ]
  `);
});

test("never overwrites an existing .kamal/secrets: it says what to add instead", async () => {
  const dir = kamal1App();
  mkdirSync(join(dir, ".kamal"));
  writeFileSync(join(dir, ".kamal/secrets"), "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
  const result = await run(dir, ["config", "migrate", "--write"]);
  expect(result.code).toBe(0);
  expect(readFileSync(join(dir, ".kamal/secrets"), "utf8")).toBe("KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
  expect(result.stderr).toContain(".kamal/secrets: already exists and is left alone; add:\n  RAILS_MASTER_KEY=$(cat config/master.key)");
});
