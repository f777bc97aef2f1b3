// A Kamal 1 app, end to end: its config/deploy.yml (Traefik labels, a top-level healthcheck, `multiarch: false`)
// and `.env` secrets are rejected, `sextant config migrate` shows and then writes the Kamal 2 version, and the
// migrated app is set up and redeployed on three lab hosts with no failed request.
import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { APP_HOST, getPage, labAccess, pageVersion, reloadProxyImage, SERVICE, sextant, startLoad } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const MIN_REQUESTS = 1000;

/**
 * A Kamal 1 deploy.yml for the lab: Traefik routes `sample.test` to the web role, Docker checks /up on port 80
 * (Kamal 1's default port was 3000), and the image is built for this machine.
 */
function kamal1DeployYml(lab: Lab, hosts: readonly string[]): string {
  return `service: ${SERVICE}
image: sextant-lab/${SERVICE}
servers:
  web:
    hosts:
${hosts.map((h) => `      - ${h}`).join("\n")}
    labels:
      traefik.http.routers.${SERVICE}.rule: Host(\`${APP_HOST}\`)
${labAccess(lab)}builder:
  multiarch: false
  context: app
  dockerfile: app/Dockerfile
  args:
    APP_VERSION: v1
healthcheck:
  path: /up
  port: 80
  interval: 1s
  max_attempts: 10
`;
}

describe.skipIf(labSkipped())("a Kamal 1 app migrated and deployed on three lab hosts", () => {
  let lab: Lab;
  let dir: string;
  let addresses: string[];
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });
  const git = (...args: string[]) => execa("git", args, { cwd: dir });
  const deployYml = () => readFileSync(join(dir, "config/deploy.yml"), "utf8");
  const commit = async (message: string) => {
    await git("add", "-A");
    await git("commit", "-q", "-m", message);
  };

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 3).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-migrate-"));
    mkdirSync(join(dir, "config"));
    mkdirSync(join(dir, ".docker"));
    cpSync(join(ROOT, "fixtures/sample-app"), join(dir, "app"), { recursive: true });
    writeFileSync(join(dir, "config/deploy.yml"), kamal1DeployYml(lab, addresses));
    writeFileSync(join(dir, ".env"), "LAB_PASSWORD=lab-password\n");
    writeFileSync(join(dir, ".gitignore"), ".docker/\n.env\n.kamal/secrets\n");
    await git("init", "-q", "-b", "main");
    await git("config", "user.name", "Lab Deployer");
    await git("config", "user.email", "deployer@lab.test");
    await commit("Kamal 1 app");
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    await reloadProxyImage(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("config migrate rewrites what `config` rejects, and the result is what a deploy sends to kamal-proxy", async () => {
    const kamal1 = deployYml();
    const rejected = await cli(["config"]);
    expect(rejected.exitCode).toBe(2);
    expect(rejected.stderr).toContain("builder: `multiarch` is Kamal 1 configuration, which Kamal 2 no longer reads");
    expect(rejected.stderr).toContain("`healthcheck` is Kamal 1 configuration, which Kamal 2 no longer reads");

    const preview = await cli(["config", "migrate"]);
    expect(preview.exitCode, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^--- a\/config\/deploy\.yml\n\+\+\+ b\/config\/deploy\.yml\n/);
    expect(preview.stdout).toContain(`-    labels:\n-      traefik.http.routers.${SERVICE}.rule: Host(\`${APP_HOST}\`)\n+    proxy:\n+      host: ${APP_HOST}\n`);
    expect(preview.stdout).toContain("-  multiarch: false\n+  arch: amd64\n");
    expect(preview.stdout).toContain("+proxy:\n+  app_port: 80\n+  healthcheck:\n+    path: /up\n+    interval: 1\n+deploy_timeout: 55\n");
    expect(preview.stdout).toContain("--- /dev/null\n+++ b/.kamal/secrets\n@@ -0,0 +1,2 @@\n+# Migrated from .env by `sextant config migrate`\n+LAB_PASSWORD=lab-password");
    expect(preview.stderr).toContain("Nothing written: run `sextant config migrate --write` to apply these changes");
    expect(deployYml()).toBe(kamal1);
    expect(existsSync(join(dir, ".kamal/secrets"))).toBe(false);

    const write = await cli(["config", "migrate", "--write"]);
    expect(write.exitCode, write.stderr).toBe(0);
    expect(write.stderr).toContain("Wrote config/deploy.yml\nWrote .kamal/secrets\n");
    await commit("Migrated to Kamal 2");

    const accepted = await cli(["config", "--json"]);
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    const result = accepted.stdout.split("\n").map((line) => JSON.parse(line) as { type: string; data?: unknown }).find((event) => event.type === "result");
    expect(result?.data).toMatchObject({ roles: ["web"], hosts: addresses, builder: { arch: "amd64", context: "app" } });

    // `config` prints what Kamal's does, which leaves the proxy out: the proxy settings show in what a deploy runs.
    const plan = await cli(["deploy", "--dry-run", "--skip-push", "--version", "v2"]);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const proxyDeploys = plan.stdout.split("\n").filter((line) => line.includes("kamal-proxy deploy"));
    expect(proxyDeploys.map((line) => line.split("\t")[0])).toEqual(addresses);
    for (const line of proxyDeploys)
      expect(line).toContain(`kamal-proxy deploy ${SERVICE}-web --target="CONTAINER_ID:80" --host="${APP_HOST}" --deploy-timeout="55s" --drain-timeout="30s" --health-check-interval="1s" --health-check-path="/up"`);
  });

  test("the migrated app: setup of v1, then a deploy of v2 under load with no failed request", async () => {
    const setup = await cli(["setup", "--version", "v1"]);
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect(await versionsServed(addresses)).toEqual(addresses.map(() => "v1"));

    writeFileSync(join(dir, "config/deploy.yml"), deployYml().replace("APP_VERSION: v1", "APP_VERSION: v2"));
    await commit("v2");
    const push = await cli(["build", "push", "--version", "v2"]);
    expect(push.exitCode, push.stderr).toBe(0);

    const load = startLoad(addresses, { minimum: MIN_REQUESTS });
    const started = performance.now();
    const deploy = await cli(["deploy", "--skip-push", "--version", "v2"]);
    const seconds = (performance.now() - started) / 1000;
    const perHost = await load.stop();
    const figures = [...perHost].map(([a, l]) => `${a}: ${l.requests} requests, ${l.failures} failed, ${[...l.versions].map(([v, n]) => `${v}×${n}`).join(" ")}`);
    console.log(`sextant deploy v2 of the migrated app: ${seconds.toFixed(1)}s under load\n  ${figures.join("\n  ")}`);

    expect(deploy.exitCode, deploy.stderr).toBe(0);
    for (const [address, hostLoad] of perHost) {
      expect({ address, failures: hostLoad.failures, errors: hostLoad.errors }).toEqual({ address, failures: 0, errors: [] });
      expect(hostLoad.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
      expect([...hostLoad.versions.keys()].sort()).toEqual(["v1", "v2"]);
    }
    expect(await versionsServed(addresses)).toEqual(addresses.map(() => "v2"));
  });
});

const versionsServed = (addresses: readonly string[]) => Promise.all(addresses.map(async (a) => pageVersion(await getPage(a))));
