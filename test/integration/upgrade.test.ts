// `proxy upgrade` on real hosts: the Kamal 1 → 2 step that removes Traefik and any kamal-proxy (container and
// image), boots kamal-proxy again and reboots the app behind it, here one host at a time. Lab hosts cannot pull
// from Docker Hub, so the proxy image comes from the lab registry, set with `proxy boot_config set --registry`,
// as a user with a private mirror of kamal-proxy would.
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { getPage, pageVersion, reloadProxyImage, sextant, writeApp } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";

describe.skipIf(labSkipped())("proxy upgrade on two lab hosts", () => {
  let lab: Lab;
  let dir: string;
  let addresses: string[];
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });
  const on = async (address: string, command: string) => (await execa("ssh", sshArgs(lab, address, command))).stdout;

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 2).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-upgrade-"));
    await writeApp(lab, dir, { hosts: addresses, appVersion: "v1" });
    // The stand-in, as the lab registry's basecamp/kamal-proxy, from the archive the hosts were preloaded with.
    const proxy = lab.images.proxy ?? "";
    const mirrored = `${lab.registry.name}/${proxy}`;
    const docker = (...args: string[]) => execa(lab.builder.dockerBin, ["-H", lab.builder.dockerHost, ...args]);
    await docker("load", "-q", "-i", lab.images.proxyArchive ?? "");
    await docker("tag", proxy, mirrored);
    await docker("push", "-q", mirrored);
  }, 300_000);
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    await reloadProxyImage(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("setup, then proxy upgrade --rolling: a new proxy from the configured registry, the app served again", async () => {
    const setup = await cli(["setup", "--version", "v1"]);
    expect(setup.exitCode, setup.stderr).toBe(0);
    const config = await cli(["proxy", "boot_config", "set", "--registry", lab.registry.name]);
    expect(config.exitCode, config.stderr).toBe(0);
    const before = await Promise.all(addresses.map((a) => on(a, "docker inspect kamal-proxy --format '{{.Id}}'")));

    const upgrade = await cli(["proxy", "upgrade", "-y", "--rolling"]);
    expect(upgrade.exitCode, upgrade.stderr).toBe(0);
    for (const address of addresses) expect(upgrade.stderr).toContain(`Upgrading proxy on ${address}...`);

    for (const [i, address] of addresses.entries()) {
      // a new proxy container, from the registry boot_config named, serving the app again
      expect(await on(address, "docker inspect kamal-proxy --format '{{.Id}}'")).not.toBe(before[i]);
      expect(await on(address, "docker inspect kamal-proxy --format '{{.Config.Image}}'")).toBe(`${lab.registry.name}/${lab.images.proxy}`);
      expect(pageVersion(await getPage(address))).toBe("v1");
    }
  });
});
