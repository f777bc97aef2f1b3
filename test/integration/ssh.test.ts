import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cmd } from "../../src/commands/shell.ts";
import type { Ssh } from "../../src/config/model.ts";
import { Secret } from "../../src/config/secret.ts";
import { onHosts } from "../../src/exec/parallel.ts";
import { SshExecutor } from "../../src/exec/ssh.ts";
import { MemoryReporter } from "../exec/support.ts";
import { currentLab, labSkipped, type Lab } from "./lab/lab.ts";

// The SSH executor against the lab's hosts (own sshd + dockerd each), configured as a user would: the lab's
// ssh_config (aliases, IdentityFile, UserKnownHostsFile, StrictHostKeyChecking yes). Leaves nothing behind on
// the hosts and does not reset them, so it can share a running lab.
const DIR = ".kamal/sextant-ssh-test";

describe.skipIf(labSkipped())("SshExecutor on the lab hosts", () => {
  let lab: Lab;
  let ex: SshExecutor;
  let home: string;

  beforeAll(async () => {
    lab = currentLab();
    home = await mkdtemp(join(tmpdir(), "sextant-ssh-home-"));
    const ssh: Ssh = {
      user: "root",
      port: 22,
      proxy: undefined,
      proxyCommand: undefined,
      logLevel: "fatal",
      keysOnly: undefined,
      keys: undefined,
      keyData: undefined,
      config: [lab.ssh.configPath],
      forwardAgent: false,
    };
    ex = new SshExecutor({
      reporter: new MemoryReporter(),
      ssh,
      sshkit: { maxConcurrentStarts: 30, poolIdleTimeout: 900, dnsRetries: 3 },
      cwd: home,
      env: { HOME: home },
    });
  });
  afterAll(async () => {
    if (!ex) return;
    await onHosts(lab.hosts.map((h) => h.name), (h) => ex.run(h, cmd("rm", "-rf", DIR))).catch(() => undefined);
    await ex.close();
  });

  test("one connection per host and one shell session on it for a phase of several commands and an upload; uploads are 0600", async () => {
    const names = lab.hosts.map((h) => h.name);
    const results = await onHosts(names, (host) =>
      ex.script(host, [
        { cmd: cmd("hostname") },
        { cmd: cmd("docker", "info", "--format", "'{{.Name}}'") },
        { cmd: cmd("mkdir", "-p", DIR) },
      ]),
    );
    expect(names.map((h) => results.get(h)?.map((r) => r.stdout.trim()).slice(0, 2))).toEqual(names.map((h) => [h, h]));
    await onHosts(names, (host) => ex.upload(host, { path: `${DIR}/web.env`, body: new Secret(`HOST=${host}\n`), mode: 0o600 }));
    for (const h of lab.hosts) {
      const file = join(h.home, DIR, "web.env");
      expect(await readFile(file, "utf8")).toBe(`HOST=${h.name}\n`);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    }
    // the script and the upload (a here-document) both went to the host's one shell session (src/exec/ssh-shell.ts)
    expect(names.map((h) => ex.stats().get(h))).toEqual(names.map(() => ({ connects: 1, execs: 1 })));
  });

  test("host keys are checked against the lab's known_hosts; nothing is recorded in the user's", async () => {
    await expect(readFile(join(home, ".ssh", "known_hosts"), "utf8")).rejects.toThrow("ENOENT");
  });
});
