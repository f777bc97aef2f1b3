// `proxy reboot` and `upgrade`, the hidden `app` and `proxy` steps of remove, and `boot_config set --publish false`,
// run as users run them: the built CLI with --dry-run.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const app = () =>
  appDir({
    "config/deploy.yml": "service: app\nimage: dhh/app\nservers: [10.0.0.1, 10.0.0.2]\nregistry:\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n",
  });
const run = (args: string[]) => runCli(bin, [...args, "--dry-run"], { cwd: app(), env: cleanEnv({ VERSION: "999" }) });
const sentTo = (stdout: string, host: string) =>
  stdout.split("\n").filter((l) => l.startsWith(`${host}\t`)).map((l) => l.slice(host.length + 1)).filter((l) => !l.includes("audit.log"));

describe("hidden app steps", () => {
  test("remove_container VERSION, also spelled remove-container", async () => {
    for (const name of ["remove_container", "remove-container"]) {
      const { code, stdout } = await run(["app", name, "1234567", "-h", "10.0.0.2"]);
      expect(code).toBe(0);
      expect(sentTo(stdout, "10.0.0.2")).toContain("docker container ls --all --filter 'name=^app-web-1234567$' --quiet | xargs docker container rm");
    }
  }, 30_000);

  test("remove_containers, remove_images and remove_app_directories", async () => {
    const containers = await run(["app", "remove_containers"]);
    expect(sentTo(containers.stdout, "10.0.0.2")).toContain("docker container prune --force --filter label=service=app --filter label=destination= --filter label=role=web");
    const images = await run(["app", "remove_images"]);
    expect(sentTo(images.stdout, "10.0.0.2")).toContain("docker image prune --all --force --filter label=service=app");
    const directories = await run(["app", "remove_app_directories"]);
    expect(sentTo(directories.stdout, "10.0.0.2")).toEqual(["/usr/bin/env mkdir -p .kamal", "/usr/bin/env rm -r .kamal/apps/app", "/usr/bin/env rm -r .kamal/proxy/apps-config/app"]);
  }, 30_000);

  test("are left out of help, as in Kamal", async () => {
    const { stdout } = await runCli(bin, ["app", "--help"], { cwd: app(), env: cleanEnv() });
    expect(stdout).toContain("remove ");
    expect(stdout).not.toContain("remove_");
  });
});

describe("hidden proxy steps and upgrade", () => {
  test("remove_container, remove_image and remove_proxy_directory", async () => {
    const container = await run(["proxy", "remove_container"]);
    expect(sentTo(container.stdout, "10.0.0.1")).toContain("docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy");
    const image = await run(["proxy", "remove_image"]);
    expect(sentTo(image.stdout, "10.0.0.1")).toContain("docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy");
    const directory = await run(["proxy", "remove_proxy_directory"]);
    expect(sentTo(directory.stdout, "10.0.0.2")).toEqual(["/usr/bin/env mkdir -p .kamal", "/usr/bin/env rm -r .kamal/proxy"]);
  }, 30_000);

  test("upgrade, dry run, plans without asking; with -y --rolling it replaces Traefik host by host", async () => {
    const unasked = await run(["proxy", "upgrade"]);
    expect(unasked.code).toBe(0);
    expect(unasked.stderr).not.toContain("Are you sure?");
    expect(sentTo(unasked.stdout, "10.0.0.1")).toContain("docker container stop traefik ; docker container prune --force --filter label=org.opencontainers.image.title=Traefik && docker image prune --all --force --filter label=org.opencontainers.image.title=Traefik");
    const { code, stdout, stderr } = await run(["proxy", "upgrade", "-y", "--rolling"]);
    expect(code).toBe(0);
    expect(stderr.indexOf("Upgraded proxy on 10.0.0.1")).toBeLessThan(stderr.indexOf("Upgrading proxy on 10.0.0.2..."));
    expect(sentTo(stdout, "10.0.0.2")).toContain("docker container stop traefik ; docker container prune --force --filter label=org.opencontainers.image.title=Traefik && docker image prune --all --force --filter label=org.opencontainers.image.title=Traefik");
    expect(sentTo(stdout, "10.0.0.2").some((l) => l.includes("--name app-web-latest "))).toBe(true);
    const { stdout: help } = await runCli(bin, ["proxy", "--help"], { cwd: app(), env: cleanEnv() });
    expect(help).not.toMatch(/upgrade|remove_/);
  }, 30_000);

  test("boot_config set --publish false leaves the ports unpublished, Thor's spelling", async () => {
    for (const args of [["--publish", "false"], ["--publish=false"], ["--no-publish"]]) {
      const { code, stdout } = await run(["proxy", "boot_config", "set", ...args]);
      expect(code).toBe(0);
      expect(sentTo(stdout, "10.0.0.1")).toContain("upload 0644 .kamal/proxy/options");
    }
    const { stdout } = await run(["proxy", "boot_config", "set", "--publish", "true"]);
    expect(sentTo(stdout, "10.0.0.1")).toContain("/usr/bin/env rm .kamal/proxy/options");
  }, 30_000);
});

describe("sextant proxy reboot", () => {
  test("a dry run plans it without asking, since it sends nothing (prompts.test.ts covers the question)", async () => {
    const { code, stdout, stderr } = await run(["proxy", "reboot"]);
    expect(code).toBe(0);
    expect(stderr).not.toContain("Are you sure?");
    expect(sentTo(stdout, "10.0.0.2")).toContain("docker container stop kamal-proxy");
  }, 30_000);

  test("-y reboots each proxy host: stop, prune the container, run a new one", async () => {
    const { code, stdout } = await run(["proxy", "reboot", "-y"]);
    expect(code).toBe(0);
    for (const host of ["10.0.0.1", "10.0.0.2"]) {
      const lines = stdout.split("\n").filter((l) => l.startsWith(`${host}\t`)).map((l) => l.slice(host.length + 1));
      const stop = lines.indexOf("docker container stop kamal-proxy");
      const prune = lines.indexOf("docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy");
      const runAt = lines.findIndex((l) => l.includes("xargs docker run --name kamal-proxy"));
      expect(stop).toBeGreaterThan(-1);
      expect(prune).toBeGreaterThan(stop);
      expect(runAt).toBeGreaterThan(prune);
    }
  }, 30_000);
});
