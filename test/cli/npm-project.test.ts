// Fitting an npm project: the config is found from any subdirectory, `init` fills in what the project says, and
// --env-file loads a .env.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { appDir, buildCli, cleanEnv, runCli, type Run } from "./support.ts";

// Each run starts a node process; on a busy 2-core machine that can take a second or more.
vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

// VERSION pins the version, so no commit is needed (kamal-commands.md §2.2).
const run = (cwd: string, args: string[], env: Record<string, string> = {}) => runCli(bin, args, { cwd, env: cleanEnv({ VERSION: "999", ...env }) });

const DEPLOY = "service: app\nimage: dhh/app\nservers:\n  - 1.1.1.1\nregistry:\n  username: dhh\n  password:\n    - KAMAL_REGISTRY_PASSWORD\nbuilder:\n  arch: amd64\n";

/** `dir/sub` made, returned */
const subdirectory = (dir: string, sub: string) => {
  mkdirSync(join(dir, sub), { recursive: true });
  return join(dir, sub);
};
const git = (cwd: string, ...args: string[]) => {
  const done = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (done.status !== 0) throw new Error(`git ${args.join(" ")}: ${done.stderr}`);
};

describe("the config is found from a subdirectory", () => {
  test("config names the file it uses and reads it from the app root", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY });
    const { code, stdout, stderr } = await run(subdirectory(dir, "src/lib"), ["config"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: `Using ${dir}/config/deploy.yml\n` });
    expect(stdout).toContain(":service_with_version: app-999\n");
  });

  test("the run works from the app root: .kamal/secrets and its commands' relative paths", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": "PASSWORD=$(cat pw.txt)\n", "pw.txt": "s3cret" });
    expect(await run(subdirectory(dir, "config"), ["secrets", "print"])).toEqual({
      code: 0, stdout: "PASSWORD=s3cret\n", stderr: `Using ${dir}/config/deploy.yml\n`,
    });
  });

  test("in the app root itself, nothing is said", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY });
    expect((await run(dir, ["config"])).stderr).toBe("");
  });

  test("none found: the error says where it looked, up to the git repository's root", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY });
    const repo = subdirectory(dir, "repo");
    git(repo, "init", "-q");
    const cwd = subdirectory(repo, "packages/web");
    expect(await run(cwd, ["config"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        `✗ config/deploy.yml: Configuration file not found in ${cwd}/config/deploy.yml\n` +
        `  fix: looked in ${cwd} and each parent up to ${repo} (the root of its git repository); run \`sextant init\` in the app's root directory to create one, or pass -c PATH\n`,
    });
  });

  test("-c is relative to the current directory and is not searched for", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY });
    const cwd = subdirectory(dir, "src");
    expect(await run(cwd, ["config", "-c", "config/deploy.yml"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `✗ config/deploy.yml: Configuration file not found in ${cwd}/config/deploy.yml\n  fix: check the path given to -c, or run \`sextant init\`\n`,
    });
    expect((await run(cwd, ["config", "-c", "../config/deploy.yml"])).code).toBe(0);
  });

  test("an alias defined in the app's config runs from a subdirectory", async () => {
    const dir = appDir({ "config/deploy.yml": `${DEPLOY}aliases:\n  show: config\n` });
    const { code, stdout } = await run(subdirectory(dir, "src"), ["show"]);
    expect(code).toBe(0);
    expect(stdout).toContain(":service_with_version: app-999\n");
  });
});

describe("sextant init in an npm project", () => {
  /** An npm app in a git repository whose origin is on GitHub, with a Dockerfile. */
  function npmProject(): string {
    const dir = appDir({
      "package.json": `{\n  "name": "@acme/shop-web",\n  "private": true,\n  "scripts": {\n    "test": "vitest"\n  }\n}\n`,
      Dockerfile: "FROM node:20-slim\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
    });
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "git@github.com:Acme/shop.git");
    return dir;
  }

  test("fills the config in from package.json, the git remote and the Dockerfile, and adds a deploy script", async () => {
    const dir = npmProject();
    const { code, stdout, stderr } = await run(dir, ["init"]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: "" });
    expect(stderr).toMatchInlineSnapshot(`
      "From package.json: service: shop-web
      From git remote origin: image: acme/shop, registry: ghcr.io as Acme
      From Dockerfile: proxy app_port: 3000 (EXPOSE)
      Created configuration file in config/deploy.yml
      Created .kamal/secrets file
      Created sample hooks in .kamal/hooks
      Added npm script deploy (sextant deploy) to package.json
      "
    `);
    const deployYml = readFileSync(join(dir, "config/deploy.yml"), "utf8");
    expect(deployYml.split("\n")[0]).toBe("# yaml-language-server: $schema=../node_modules/sextant-deploy/docs/deploy.schema.json");
    for (const line of ["service: shop-web\n", "image: acme/shop\n", "  app_port: 3000\n", "  server: ghcr.io\n  username: Acme\n"]) expect(deployYml).toContain(line);
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(
      `{\n  "name": "@acme/shop-web",\n  "private": true,\n  "scripts": {\n    "test": "vitest",\n    "deploy": "sextant deploy"\n  }\n}\n`,
    );
    // What init wrote is a config sextant loads.
    expect((await run(dir, ["config"])).code).toBe(0);
  });

  test("run again, it changes nothing; with a staging destination it adds deploy:staging", async () => {
    const dir = npmProject();
    await run(dir, ["init"]);
    const packageJson = readFileSync(join(dir, "package.json"), "utf8");
    expect((await run(dir, ["init"])).stderr).toBe("Config file already exists in config/deploy.yml (remove first to create a new one)\n");
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(packageJson);

    writeFileSync(join(dir, "config/deploy.staging.yml"), "servers:\n  - 2.2.2.2\n");
    expect((await run(dir, ["init"])).stderr).toBe(
      "Config file already exists in config/deploy.yml (remove first to create a new one)\n" +
        "Added npm script deploy:staging (sextant deploy -d staging) to package.json\n",
    );
  });

  test("an existing deploy script is kept", async () => {
    const dir = appDir({ "package.json": `{"name":"shop","scripts":{"deploy":"./bin/deploy"}}` });
    const { stderr } = await run(dir, ["init"]);
    expect(stderr).toContain("Kept the existing npm script deploy in package.json\n");
    expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))).toEqual({ name: "shop", scripts: { deploy: "./bin/deploy" } });
  });

  test("from a subdirectory of an app that has a config, it completes that app instead of starting another", async () => {
    const dir = npmProject();
    await run(dir, ["init"]);
    const cwd = subdirectory(dir, "src");
    expect((await run(cwd, ["init"])).stderr).toBe(
      `Using ${dir}/config/deploy.yml\nConfig file already exists in config/deploy.yml (remove first to create a new one)\n`,
    );
  });
});

describe("--env-file", () => {
  const SECRETS = "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nDB=$DB_PASSWORD\n";

  test("loads a .env before .kamal/secrets is read; the environment wins; later files win", async () => {
    const dir = appDir({
      "config/deploy.yml": DEPLOY, ".kamal/secrets": SECRETS,
      ".env": "KAMAL_REGISTRY_PASSWORD=from-file\nDB_PASSWORD=db-from-file\n", ".env.local": "DB_PASSWORD=db-local\n",
    });
    expect(await run(dir, ["secrets", "print", "--env-file", ".env"])).toEqual({
      code: 0, stdout: "KAMAL_REGISTRY_PASSWORD=from-file\nDB=db-from-file\n", stderr: "",
    });
    expect((await run(dir, ["secrets", "print", "--env-file", ".env"], { KAMAL_REGISTRY_PASSWORD: "from-env" })).stdout).toBe(
      "KAMAL_REGISTRY_PASSWORD=from-env\nDB=db-from-file\n",
    );
    expect((await run(dir, ["--env-file", ".env", "secrets", "print", "--env-file=.env.local"])).stdout).toBe(
      "KAMAL_REGISTRY_PASSWORD=from-file\nDB=db-local\n",
    );
  });

  test("the path is relative to the current directory, not the app root", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": SECRETS, "src/.env": "DB_PASSWORD=from-src\n" });
    const { stdout } = await run(join(dir, "src"), ["secrets", "print", "--env-file", ".env"]);
    expect(stdout).toBe("KAMAL_REGISTRY_PASSWORD=\nDB=from-src\n");
  });

  test("a missing file is a usage error naming it", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY });
    // Node itself stops first on a missing `--env-file` anywhere on its command line, even among a script's
    // arguments (nodejs/node#54232); started with `node --`, it leaves them to sextant.
    expect(await runNode(dir, ["--", bin, "config", "--env-file", "missing.env"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `✗ --env-file missing.env: no such file\n  fix: check the path (relative to ${dir}), or drop --env-file missing.env\n`,
    });
  });
});

function runNode(cwd: string, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, env: cleanEnv({ VERSION: "999" }) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
