// A local registry (registry.server: localhost:PORT): hosts pull from this machine through a reverse forward of
// PORT over their SSH connections, as Kamal does. Here "this machine's registry" is a relay on 127.0.0.1:PORT to
// the lab registry, which holds the sample app; the hosts can only reach it through the forward.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { sextant } from "./deploy-app.ts";
import { currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";

describe.skipIf(labSkipped())("a local registry reached through SSH remote forwards", () => {
  let lab: Lab;
  let dir: string;
  let relay: Server;
  let port: number;
  let build: { bin: string; cleanup: () => void };
  let addresses: string[];
  const on = async (address: string, command: string) => (await execa("ssh", sshArgs(lab, address, command), { reject: false })).stdout;

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    addresses = lab.hosts.slice(0, 2).map((h) => h.address);
    await resetHosts(lab);
    const [registryHost, registryPort] = lab.registry.local.split(":");
    relay = createServer((socket) => {
      const upstream = connect(Number(registryPort), registryHost);
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((done) => relay.listen(0, "127.0.0.1", done));
    const address = relay.address();
    port = typeof address === "object" && address ? address.port : 0;

    // The sample app's repository without the lab registry's name: the local registry serves the same paths.
    const repository = lab.images.app.slice(lab.images.app.indexOf("/") + 1);
    dir = mkdtempSync(join(tmpdir(), "sextant-local-registry-"));
    mkdirSync(join(dir, "config"));
    writeFileSync(join(dir, "config/deploy.yml"), `service: sample-app
image: ${repository}
servers:
${addresses.map((a) => `  - ${a}`).join("\n")}
registry:
  server: localhost:${port}
ssh:
  user: ${lab.ssh.user}
  keys: [${lab.ssh.keyPath}]
  config: ${lab.ssh.configPath}
builder:
  arch: amd64
`);
  });
  afterAll(async () => {
    if (!lab) return;
    relay?.close();
    await resetHosts(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("build pull gets the image onto every host through the forward, which is gone afterwards", async () => {
    const version = lab.images.appVersions[0] ?? "v1";
    const image = `localhost:${port}/${lab.images.app.slice(lab.images.app.indexOf("/") + 1)}:${version}`;
    // Without the forward the hosts have nothing on that port.
    expect(await on(addresses[0] ?? "", `docker pull ${image} >/dev/null 2>&1 || echo unreachable`)).toBe("unreachable");

    const run = await sextant(lab, dir, ["build", "pull", "--version", version], { bin: build.bin });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Setting up local registry port forwarding to ${addresses.join(", ")}...`);
    for (const address of addresses) {
      expect(await on(address, `docker image ls --format '{{.Repository}}:{{.Tag}}' ${image}`)).toBe(image);
      // sshd stopped listening when sextant closed the forward
      expect(await on(address, `exec 3<>/dev/tcp/127.0.0.1/${port} 2>/dev/null && echo listening || echo closed`)).toBe("closed");
    }
  });
});
