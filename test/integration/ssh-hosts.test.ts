// The SSH layer and the host commands end to end: the built CLI, run as a subprocess from a temp app directory,
// against the lab's three hosts (each its own sshd and dockerd). Covers parallelism, jump hosts, ssh_config
// aliases, hashed and changed host keys, a host whose sshd hangs, the deploy lock under a race and under Ctrl-C,
// and that secrets never reach a process list.
import { execa, type ResultPromise } from "execa";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { SEXTANT } from "./deploy-app.ts";
import { hostKeyPath } from "./lab/ssh-files.ts";
import { currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";

const SERVICE = "sample";
const GIT_USER = "Lab Deployer";

type Run = { exitCode: number; stdout: string; stderr: string; ms: number };

type AppOptions = {
  /** `servers:` entries; the lab's three addresses by default */
  servers?: readonly string[];
  /** the `ssh:` section's lines (indented by two); the lab's key and ssh_config by default */
  ssh?: readonly string[];
  /** extra top-level YAML */
  extra?: string;
  secrets?: string;
};

describe.skipIf(labSkipped())("sextant on the lab hosts over SSH", () => {
  let lab: Lab;
  const dirs: string[] = [];
  const addresses = () => lab.hosts.map((h) => h.address);
  const host = (i: number) => {
    const h = lab.hosts[i];
    if (!h) throw new Error(`the lab has no host #${i + 1}`);
    return h;
  };

  beforeAll(() => {
    lab = currentLab();
    if (!existsSync(SEXTANT)) throw new Error(`${SEXTANT} is missing: run \`npm run build\` first`);
  });
  afterEach(() => resetHosts(lab));
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), `sextant-ssh-hosts-${prefix}-`));
    dirs.push(dir);
    return dir;
  };

  /** An app directory (config, secrets, a git repo for the version and lock owner) pointing at lab hosts. */
  async function app(opts: AppOptions = {}): Promise<string> {
    const dir = tempDir("app");
    mkdirSync(join(dir, "config"));
    mkdirSync(join(dir, ".kamal"));
    mkdirSync(join(dir, ".docker"));
    const ssh = opts.ssh ?? [`user: root`, `keys: [${lab.ssh.keyPath}]`, `config: ${lab.ssh.configPath}`];
    writeFileSync(
      join(dir, "config/deploy.yml"),
      `service: ${SERVICE}
image: sextant-lab/${SERVICE}
servers:
${(opts.servers ?? addresses()).map((s) => `  - ${s}`).join("\n")}
registry:
  server: ${lab.registry.name}
  username: lab
  password: [LAB_PASSWORD]
ssh:
${ssh.map((l) => `  ${l}`).join("\n")}
builder:
  arch: amd64
${opts.extra ?? ""}`,
    );
    writeFileSync(join(dir, ".kamal/secrets"), opts.secrets ?? "LAB_PASSWORD=lab-password\n");
    const git = (...args: string[]) => execa("git", args, { cwd: dir });
    await git("init", "-q", "-b", "main");
    await git("config", "user.name", GIT_USER);
    await git("config", "user.email", "deployer@lab.test");
    await git("add", "-A");
    await git("commit", "-q", "-m", "app");
    return dir;
  }

  /** `node dist/sextant.cjs ...args` in `dir`, not awaited, so a test can signal it or race it. */
  const start = (dir: string, args: readonly string[], env: Record<string, string> = {}): ResultPromise<{ reject: false }> =>
    execa(process.execPath, [SEXTANT, ...args], {
      cwd: dir,
      reject: false,
      env: { DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1", ...env },
    });

  async function sextant(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    const t0 = performance.now();
    const run = await start(dir, args, env);
    return { exitCode: run.exitCode ?? -1, stdout: String(run.stdout), stderr: String(run.stderr), ms: performance.now() - t0 };
  }

  /** `server exec` output: each host's lines under its `App Host:` header. */
  const perHost = (stdout: string): Map<string, string> =>
    new Map(stdout.split(/^App Host: /m).filter(Boolean).map((part) => {
      const [name = "", ...rest] = part.split("\n");
      return [name, rest.join("\n").trim()];
    }));

  /** An ssh_config for lab addresses using `knownHosts`, strict, with extra lines for its blocks. */
  function sshConfig(file: string, knownHosts: string, opts: { before?: string[]; connectTimeout?: number } = {}): string {
    writeFileSync(
      file,
      [
        ...(opts.before ?? []),
        "Host *",
        "  User root",
        `  IdentityFile ${lab.ssh.keyPath}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${knownHosts}`,
        "  StrictHostKeyChecking yes",
        ...(opts.connectTimeout === undefined ? [] : [`  ConnectTimeout ${opts.connectTimeout}`]),
        "",
      ].join("\n"),
    );
    return file;
  }

  const fingerprint = async (pubFile: string) => (await execa("ssh-keygen", ["-l", "-f", pubFile])).stdout.split(" ")[1] ?? "";
  const ranOn = (marker: string) => lab.hosts.filter((h) => existsSync(join(h.home, marker))).map((h) => h.address);

  test("runs a command on every host at once", async () => {
    const dir = await app();
    const run = await sextant(dir, ["server", "exec", "date +%s%N; sleep 2; date +%s%N"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const times = [...perHost(run.stdout)].map(([h, out]) => [h, out.split("\n").map((ns) => Number(BigInt(ns) / 1_000_000n))] as const);
    expect(times.map(([h]) => h).sort()).toEqual(addresses());
    // every host started before any host finished its 2 s sleep: one after another would take 6 s
    const starts = times.map(([, t]) => t[0] ?? Infinity);
    const firstEnd = Math.min(...times.map(([, t]) => t[1] ?? -Infinity));
    expect(Math.max(...starts)).toBeLessThan(firstEnd);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(1000);
    console.info(`parallel: starts spread over ${Math.max(...starts) - Math.min(...starts)} ms, run took ${run.ms.toFixed(0)} ms`);
  });

  test("reaches hosts through a jump host (ssh/proxy)", async () => {
    const jump = host(0).address;
    const targets = [host(1).address, host(2).address];
    const dir = await app({
      servers: targets,
      ssh: [`user: root`, `proxy: root@${jump}`, `keys: [${lab.ssh.keyPath}]`, `config: ${lab.ssh.configPath}`],
    });
    const stats = join(dir, "stats.json");
    const run = await sextant(dir, ["server", "exec", "echo $SSH_CONNECTION"], { SEXTANT_STATS_FILE: stats });
    expect(run.exitCode, run.stderr).toBe(0);
    // sshd on each target saw the connection come from the jump host's address
    expect([...perHost(run.stdout)].map(([h, out]) => [h, out.split(" ")[0]])).toEqual(targets.map((t) => [t, jump]));
    const counted = JSON.parse(readFileSync(stats, "utf8")) as Record<string, { connects: number }>;
    expect(targets.map((t) => counted[t]?.connects)).toEqual([1, 1]);
  });

  test("resolves Host aliases from ~/.ssh/config", async () => {
    const home = tempDir("home");
    mkdirSync(join(home, ".ssh"));
    sshConfig(join(home, ".ssh/config"), lab.ssh.knownHostsPath, {
      before: lab.hosts.flatMap((h, i) => [`Host web-${i + 1}`, `  HostName ${h.address}`]),
    });
    // no ssh/config in deploy.yml: Kamal's default reads ~/.ssh/config
    const dir = await app({ servers: ["web-1", "web-2", "web-3"], ssh: [`keys: [${lab.ssh.keyPath}]`] });
    const run = await sextant(dir, ["server", "exec", "hostname"], { HOME: home });
    expect(run.exitCode, run.stderr).toBe(0);
    expect([...perHost(run.stdout)].sort()).toEqual([["web-1", "host-1"], ["web-2", "host-2"], ["web-3", "host-3"]]);
  });

  test("checks host keys against a hashed known_hosts", async () => {
    const files = tempDir("hashed");
    const knownHosts = join(files, "known_hosts");
    copyFileSync(lab.ssh.knownHostsPath, knownHosts);
    await execa("ssh-keygen", ["-H", "-f", knownHosts]);
    const hashed = readFileSync(knownHosts, "utf8");
    expect(hashed).not.toContain("10.213.0.");
    expect(hashed.split("\n").filter(Boolean).every((l) => l.startsWith("|1|"))).toBe(true);
    const config = sshConfig(join(files, "ssh_config"), knownHosts);
    const dir = await app({ ssh: [`keys: [${lab.ssh.keyPath}]`, `config: ${config}`] });
    const run = await sextant(dir, ["server", "exec", "hostname"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect([...perHost(run.stdout).values()].sort()).toEqual(lab.hosts.map((h) => h.name));
  });

  test("refuses a host whose key changed, naming both fingerprints and the fix; the other hosts run", async () => {
    const files = tempDir("changed");
    const fake = join(files, "fake_key");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", fake]);
    const [type, blob] = readFileSync(`${fake}.pub`, "utf8").split(" ");
    const victim = host(1);
    const knownHosts = join(files, "known_hosts");
    writeFileSync(
      knownHosts,
      readFileSync(lab.ssh.knownHostsPath, "utf8")
        .split("\n")
        .map((l) => (l.startsWith(`${victim.address},`) ? `${victim.address} ${type} ${blob}` : l))
        .join("\n"),
    );
    const line = readFileSync(knownHosts, "utf8").split("\n").findIndex((l) => l.startsWith(`${victim.address} `)) + 1;
    const config = sshConfig(join(files, "ssh_config"), knownHosts);
    const dir = await app({ ssh: [`keys: [${lab.ssh.keyPath}]`, `config: ${config}`] });
    const run = await sextant(dir, ["server", "exec", "touch sx-ran-changed"]);
    expect(run.exitCode).toBe(1);
    const real = await fingerprint(`${hostKeyPath(lab.dir, victim.name)}.pub`);
    const wrong = await fingerprint(`${fake}.pub`);
    expect(run.stderr).toContain(
      `[${victim.address}] host key for ${victim.address} has changed: it presented ssh-ed25519 ${real}, but ${knownHosts}:${line} has ssh-ed25519 ${wrong}`,
    );
    expect(run.stderr).toContain(`ssh-keygen -R ${victim.address} -f ${knownHosts}`);
    expect(ranOn("sx-ran-changed")).toEqual([host(0).address, host(2).address]);
  });

  test("a host whose sshd hangs fails within the connect timeout while the others finish", async () => {
    const victim = host(2);
    const listing = await execa("ip", ["netns", "exec", `sxlab-${victim.name}`, "ss", "-Hltnp", "sport = :22"]);
    const pid = Number(/pid=(\d+)/.exec(listing.stdout)?.[1]);
    expect(pid, listing.stdout).toBeGreaterThan(0);
    const files = tempDir("hang");
    const config = sshConfig(join(files, "ssh_config"), lab.ssh.knownHostsPath, { connectTimeout: 3 });
    const dir = await app({ ssh: [`keys: [${lab.ssh.keyPath}]`, `config: ${config}`] });
    // SIGSTOP: the kernel still accepts the TCP connection, but no SSH banner ever comes
    process.kill(pid, "SIGSTOP");
    let run: Run;
    try {
      run = await sextant(dir, ["server", "exec", "touch sx-ran-hang"]);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`[${victim.address}] timed out connecting to root@${victim.address}:22`);
    expect(run.stderr).toContain("fix: check that the host is up and that nothing blocks the SSH port");
    expect(run.ms).toBeLessThan(3000 + 3000);
    console.info(`hung sshd: run failed after ${run.ms.toFixed(0)} ms with ConnectTimeout 3`);
    expect(ranOn("sx-ran-hang")).toEqual([host(0).address, host(1).address]);
    // and the host is usable again once sshd has worked through the connections queued while it was stopped
    let again = await sextant(dir, ["server", "exec", "hostname"]);
    for (let i = 0; i < 5 && again.exitCode !== 0; i++) {
      console.info(`resumed sshd: attempt ${i + 1} failed:\n${again.stderr}`);
      again = await sextant(dir, ["server", "exec", "hostname"]);
    }
    expect(again.exitCode, again.stderr).toBe(0);
  });

  test("of two concurrent lock acquires exactly one wins; the other names the holder and exits 3", async () => {
    const dir = await app();
    const [a, b] = await Promise.all([start(dir, ["lock", "acquire", "-m", "first"]), start(dir, ["lock", "acquire", "-m", "second"])]);
    expect([a.exitCode, b.exitCode].sort()).toEqual([0, 3]);
    const [winner, loser] = a.exitCode === 0 ? ["first", b] : ["second", a];
    const primary = host(0).address;
    expect(String(loser.stderr)).toContain(`Deploy lock found on ${primary}:`);
    expect(String(loser.stderr)).toMatch(new RegExp(`Locked by: ${GIT_USER} at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ`));
    expect(String(loser.stderr)).toContain(`Message: ${winner}`);
    const status = await sextant(dir, ["lock", "status"]);
    expect(status.stdout).toContain(`Message: ${winner}`);
    expect((await sextant(dir, ["lock", "release"])).exitCode).toBe(0);
    expect(readdirSync(join(host(0).home, ".kamal")).filter((e) => e.startsWith("lock-"))).toEqual([]);
  });

  test("no process list shows a secret during registry login or an env file upload", async () => {
    const secret = `sx-ps-${randomBytes(8).toString("hex")}`;
    const dir = await app({
      secrets: `LAB_PASSWORD=${secret}\nREDIS_PASSWORD=${secret}\n`,
      extra: `accessories:
  redis:
    image: ${lab.images.redis}
    host: ${host(0).address}
    env:
      secret: [REDIS_PASSWORD]
`,
    });
    // Every process of the hosts is visible from here too (their PID namespaces are children of ours).
    const seen = { scans: 0, logins: 0, leaks: [] as string[] };
    let polling = true;
    const poll = async () => {
      while (polling) {
        for (const pid of readdirSync("/proc")) {
          if (!/^\d+$/.test(pid)) continue;
          let args: string;
          try {
            args = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
          } catch {
            continue;
          }
          if (args.includes(secret)) seen.leaks.push(args);
          if (/docker login /.test(args)) seen.logins++;
        }
        seen.scans++;
        await new Promise((r) => setImmediate(r));
      }
    };
    const poller = poll();
    let login: Run, boot: Run;
    try {
      login = await sextant(dir, ["registry", "login", "--skip-local"]);
      boot = await sextant(dir, ["accessory", "boot", "redis"]);
    } finally {
      polling = false;
      await poller;
    }
    expect(login.exitCode, login.stderr).toBe(0);
    expect(boot.exitCode, boot.stderr).toBe(0);
    expect(seen.leaks).toEqual([]);
    expect(seen.logins).toBeGreaterThan(0);
    console.info(`ps poll: ${seen.scans} scans of /proc, ${seen.logins} docker login command lines seen, none with the secret`);
    // the secret did reach the host, in a 0600 env file
    const envDir = join(host(0).home, ".kamal/apps", SERVICE, "env/accessories");
    const envFile = join(envDir, readdirSync(envDir).find((f) => f.endsWith(".env")) ?? "");
    expect(readFileSync(envFile, "utf8")).toContain(`REDIS_PASSWORD=${secret}`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
  });

  test("Ctrl-C during a locked command releases the lock and exits 130", async () => {
    const dir = await app();
    mkdirSync(join(dir, ".kamal/hooks"));
    const hook = join(dir, ".kamal/hooks/docker-setup");
    writeFileSync(hook, "#!/bin/sh\nsleep 60\n");
    chmodSync(hook, 0o755);
    const lockDir = join(host(0).home, ".kamal", `lock-${SERVICE}`);
    const run = start(dir, ["server", "bootstrap"]);
    // the hook's sleep, run from the app directory, holds the lock for a minute
    const hookSleeps = () =>
      readdirSync("/proc").filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8") === "sleep\u000060\u0000" && readlinkSync(`/proc/${pid}/cwd`) === dir;
        } catch {
          return false;
        }
      });
    const deadline = Date.now() + 30_000;
    while (hookSleeps().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(lockDir)).toBe(true);
    expect(hookSleeps()).toHaveLength(1);
    const t0 = performance.now();
    run.kill("SIGINT");
    const result = await run;
    expect(result.exitCode, String(result.stderr)).toBe(130);
    const stopped = performance.now() - t0;
    expect(stopped).toBeLessThan(10_000);
    console.info(`Ctrl-C: exit 130 after ${stopped.toFixed(0)} ms, lock released`);
    expect(existsSync(lockDir)).toBe(false);
    expect(hookSleeps()).toEqual([]);
  });

  test("server bootstrap, audit and prune all run on every host", async () => {
    const dir = await app();
    const bootstrap = await sextant(dir, ["server", "bootstrap"]);
    expect(bootstrap.exitCode, bootstrap.stderr).toBe(0);
    expect((await sextant(dir, ["server", "exec", "true"])).exitCode).toBe(0);
    const audit = await sextant(dir, ["audit"]);
    expect(audit.exitCode, audit.stderr).toBe(0);
    for (const a of addresses()) expect(audit.stdout).toContain(`Executed cmd 'true' on ${a}`);
    const prune = await sextant(dir, ["prune", "all"]);
    expect(prune.exitCode, prune.stderr).toBe(0);
    for (const h of lab.hosts) expect(readdirSync(join(h.home, ".kamal")).filter((e) => e.startsWith("lock-"))).toEqual([]);
  });
});
