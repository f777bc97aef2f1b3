// A deploy whose new containers never become healthy says why, in one line per cause with its fix, from what
// kamal-proxy (the stand-in, logging its failed checks as kamal-proxy does), docker and the app's log said on the
// lab hosts. The first failure runs `setup` (it boots the proxy); nothing healthy is ever deployed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { commitConfig, sextant, writeApp } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";

describe.skipIf(labSkipped())("a new version that never becomes healthy, on three lab hosts", () => {
  let lab: Lab;
  let dir: string;
  let addresses: string[];
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });
  const allHosts = () => `3 hosts (${addresses.join(", ")})`;

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 3).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-unhealthy-"));
    await writeApp(lab, dir, { hosts: addresses, appVersion: "v404", env: { UP_STATUS: "404" } });
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("/up answering 404: one line for all hosts, naming the 404 and the health check path", async () => {
    const run = await cli(["setup", "--version", "v404"]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `✗ ${allHosts()}: new container never became healthy: GET /up answered 404\n` +
        "  fix: the app has no /up route: add one that answers 200 (Rails 7.1+ has /up), or set proxy.healthcheck.path to a path it answers",
    );
    // The full kamal-proxy command is for -v.
    expect(run.stderr).not.toContain("docker exec kamal-proxy kamal-proxy deploy");
  });

  test("an app listening on another port: the port its log names, and proxy.app_port", async () => {
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v8080", env: { PORT: "8080" } });
    const run = await cli(["deploy", "--version", "v8080"]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `✗ ${allHosts()}: new container never became healthy: nothing listens on port 80: the app's log says it listens on port 8080\n` +
        "  fix: set proxy.app_port: 8080, or make the app listen on port 80",
    );
  });

  test("/up redirecting to HTTPS: force_ssl, and how to exclude the health check", async () => {
    await commitConfig(lab, dir, { hosts: addresses, appVersion: "v301", env: { UP_STATUS: "301" } });
    const run = await cli(["deploy", "--version", "v301"]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain(`✗ ${allHosts()}: new container never became healthy: GET /up redirects to https://…/up, which failed\n`);
    expect(run.stderr).toContain("  fix: the app redirects its health check to HTTPS (Rails' force_ssl)");
  });
});
