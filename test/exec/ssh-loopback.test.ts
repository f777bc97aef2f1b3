import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { PassThrough } from "node:stream";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cmd } from "../../src/commands/shell.ts";
import type { Ssh } from "../../src/config/model.ts";
import { Secret } from "../../src/config/secret.ts";
import { InterruptedError, RemoteCommandError, SextantError } from "../../src/errors.ts";
import { createExecutor } from "../../src/exec/create.ts";
import { keyscan } from "../../src/exec/keyscan.ts";
import { fingerprint } from "../../src/exec/known-hosts.ts";
import { onHosts } from "../../src/exec/parallel.ts";
import { SshExecutor } from "../../src/exec/ssh.ts";
import type { PassphraseSource } from "../../src/exec/ssh-auth.ts";
import { forwardRemotePort } from "../../src/exec/ssh-forward.ts";
import { configFromYaml } from "../support/config.ts";
import { freePort, hasSshd, keygen, startSshd, type Sshd } from "./sshd.ts";
import { MemoryReporter } from "./support.ts";

// Real OpenSSH on loopback: 127.0.0.2-4 are three "hosts" served by one sshd.
// Sessions cost ~0.6 s each on a machine whose root .bashrc is slow (pyenv init): keep exec counts low.
const title = hasSshd ? "SshExecutor against a real sshd" : "SshExecutor against a real sshd (skipped: no /usr/sbin/sshd; apt-get install openssh-server)";
describe.skipIf(!hasSshd)(title, { timeout: 20_000 }, () => {
  let sshd: Sshd;
  let home: string;
  let app: string;

  beforeAll(async () => {
    sshd = await startSshd({ addresses: ["127.0.0.2", "127.0.0.3", "127.0.0.4"] });
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  type Extra = {
    env?: Record<string, string>;
    connectTimeoutMs?: number;
    explicit?: { user: boolean; port: boolean };
    fresh?: boolean;
    passphrase?: PassphraseSource;
  };
  async function executor(over: Partial<Ssh> = {}, extra: Extra = {}) {
    if (extra.fresh !== false) {
      home = await mkdtemp(join(tmpdir(), "sextant-home-"));
      app = await mkdtemp(join(tmpdir(), "sextant-app-"));
    }
    const reporter = new MemoryReporter();
    const ssh: Ssh = {
      user: "root",
      port: sshd.port,
      proxy: undefined,
      proxyCommand: undefined,
      logLevel: "fatal",
      keysOnly: true,
      keys: [sshd.userKey],
      keyData: undefined,
      config: false,
      forwardAgent: false,
      ...over,
    };
    const ex = new SshExecutor({
      reporter,
      ssh,
      sshkit: { maxConcurrentStarts: 30, poolIdleTimeout: 900, dnsRetries: 1 },
      cwd: app,
      env: { HOME: home, ...extra.env },
      connectTimeoutMs: extra.connectTimeoutMs,
      explicit: extra.explicit,
      passphrase: extra.passphrase,
    });
    return { ex, reporter };
  }

  test("run, capture and attempt over one connection and its one shell session, counting exec sessions", async () => {
    const { ex, reporter } = await executor();
    try {
      expect(await ex.capture("127.0.0.2", cmd("echo", "hello"))).toBe("hello");
      expect(await ex.attempt("127.0.0.2", cmd("sh", "-c", "'echo oops >&2; exit 3'"))).toEqual({ code: 3, stdout: "", stderr: "oops\n" });
      await expect(ex.run("127.0.0.2", cmd("false"))).rejects.toBeInstanceOf(RemoteCommandError);
      expect(ex.stats().get("127.0.0.2")).toEqual({ connects: 1, execs: 1 });
      expect(reporter.of("command", "127.0.0.2")).toEqual(["echo hello", "sh -c 'echo oops >&2; exit 3'", "false"]);
    } finally {
      await ex.close();
    }
  });

  test("runs relative to the login directory, as Kamal's paths assume", async () => {
    const { ex } = await executor();
    try {
      expect(await ex.capture("127.0.0.2", cmd("pwd"))).toBe("/root");
    } finally {
      await ex.close();
    }
  });

  test("scripts run every step in the host's one shell session, stream clean lines and name the failing one", async () => {
    const { ex, reporter } = await executor();
    try {
      const results = await ex.script(
        "127.0.0.3",
        [{ cmd: cmd("echo", "one") }, { cmd: cmd("sh", "-c", "'exit 4'"), ignoreFailure: true }, { cmd: cmd("echo", "three") }],
        { stream: true },
      );
      expect(reporter.of("output", "127.0.0.3")).toEqual(["one", "three"]);
      expect(results).toEqual([
        { stdout: "one\n", stderr: "", code: 0 },
        { stdout: "", stderr: "", code: 4 },
        { stdout: "three\n", stderr: "", code: 0 },
      ]);
      const err = await ex
        .script("127.0.0.3", [{ cmd: cmd("echo", "a") }, { cmd: cmd("sh", "-c", "'echo broken >&2; exit 7'") }, { cmd: cmd("echo", "never") }])
        .catch((e: unknown) => e);
      expect((err as RemoteCommandError).message).toBe("[127.0.0.3] sh -c 'echo broken >&2; exit 7' exited 7: broken");
      // a failed script ends only itself: the shell runs the next command
      expect(await ex.capture("127.0.0.3", cmd("echo", "after"))).toBe("after");
      expect(ex.stats().get("127.0.0.3")).toEqual({ connects: 1, execs: 1 });
    } finally {
      await ex.close();
    }
  });

  test("upload writes the body with mode 0600, replacing a laxer file", async () => {
    const { ex } = await executor();
    const dir = join(sshd.dir, "up");
    await mkdir(dir);
    await writeFile(join(dir, "web.env"), "old", { mode: 0o644 });
    try {
      await ex.upload("127.0.0.2", { path: join(dir, "web.env"), body: new Secret("SECRET=x\n"), mode: 0o600 });
      expect(await readFile(join(dir, "web.env"), "utf8")).toBe("SECRET=x\n");
      // a body without a final newline cannot travel in a here-document; it goes on an exec session's stdin
      await ex.upload("127.0.0.2", { path: join(dir, "page.html"), body: "<p>\n</p>", mode: 0o644 });
      expect(await readFile(join(dir, "page.html"), "utf8")).toBe("<p>\n</p>");
      expect(await ex.capture("127.0.0.2", cmd("stat", "-c", "%a", join(dir, "web.env")))).toBe("600");
      await expect(ex.upload("127.0.0.2", { path: join(dir, "missing", "x.env"), body: "A=1\n", mode: 0o600 })).rejects.toThrow(
        `[127.0.0.2] upload 0600 ${join(dir, "missing", "x.env")} exited 1: `,
      );
    } finally {
      await ex.close();
    }
  });

  test("a script carries steps' own stdin and uploads in one session; a body without a final newline gets a session between", async () => {
    const { ex, reporter } = await executor();
    const dir = join(sshd.dir, "steps");
    await mkdir(dir);
    try {
      const results = await ex.script("127.0.0.3", [
        { cmd: cmd("cat"), stdin: new Secret("s3cret\n") },
        { upload: { path: join(dir, "web.env"), body: new Secret("A=1\n"), mode: 0o600 } },
        { cmd: cmd("stat", "-c", "%a", join(dir, "web.env")) },
      ]);
      expect(results.map((r) => r.stdout)).toEqual(["s3cret\n", "", "600\n"]);
      expect(await readFile(join(dir, "web.env"), "utf8")).toBe("A=1\n");
      expect(ex.stats().get("127.0.0.3")).toEqual({ connects: 1, execs: 1 });
      expect(reporter.of("command", "127.0.0.3")).toEqual(["cat", `upload 0600 ${join(dir, "web.env")}`, `stat -c %a ${join(dir, "web.env")}`]);

      const split = await ex.script("127.0.0.3", [
        { cmd: cmd("echo", "before") },
        { upload: { path: join(dir, "page.html"), body: "<p>\n</p>", mode: 0o644 } },
        { cmd: cmd("cat"), stdin: "no newline" },
        { cmd: cmd("cat", join(dir, "page.html")) },
      ]);
      expect(split.map((r) => r.stdout)).toEqual(["before\n", "", "no newline", "<p>\n</p>"]);
      expect(ex.stats().get("127.0.0.3")?.execs).toBe(3);

      const failed = await ex.script("127.0.0.3", [
        { upload: { path: join(dir, "missing", "x.env"), body: "A=1\n", mode: 0o600 } },
        { cmd: cmd("touch", join(dir, "never")) },
      ]).catch((e: unknown) => e);
      expect((failed as RemoteCommandError).message).toMatch(`[127.0.0.3] upload 0600 ${join(dir, "missing", "x.env")} exited 1: `);
      expect((await readdir(dir)).sort()).toEqual(["page.html", "web.env"]);
    } finally {
      await ex.close();
    }
  });

  const hostKeyBlob = (s: Sshd) => Buffer.from(s.hostKey.split(" ")[1] ?? "", "base64");
  const knownHosts = () => readFile(join(home, ".ssh", "known_hosts"), "utf8");

  test("hosts run in parallel, one connection each, and unknown hosts are recorded (accept-new)", async () => {
    const { ex } = await executor();
    const hosts = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
    try {
      // Each host says when its command started and ended (ms); in parallel, the three sleeps overlap. Timing the
      // whole run instead would measure three key exchanges on a busy machine as well.
      const out = await onHosts(hosts, (h) => ex.capture(h, cmd("sh", "-c", "'date +%s%3N; sleep 2; date +%s%3N; echo $SSH_CONNECTION'")));
      const spans = hosts.map((h) => (out.get(h) ?? "").split("\n"));
      const starts = spans.map(([start]) => Number(start));
      const ends = spans.map(([, end]) => Number(end));
      expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
      expect(spans.map(([, , connection]) => connection?.split(" ")[2])).toEqual(hosts);
      expect(hosts.map((h) => ex.stats().get(h))).toEqual(hosts.map(() => ({ connects: 1, execs: 1 })));
      const lines = (await knownHosts()).trim().split("\n").sort();
      expect(lines).toEqual(hosts.map((h) => `[${h}]:${sshd.port} ${sshd.hostKey}`));
    } finally {
      await ex.close();
    }
  });

  test("a hashed known_hosts entry for the host is accepted and nothing is appended", async () => {
    const { ex } = await executor();
    const salt = randomBytes(20);
    const name = `[127.0.0.2]:${sshd.port}`;
    const line = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")} ${sshd.hostKey}\n`;
    await mkdir(join(home, ".ssh"), { recursive: true });
    await writeFile(join(home, ".ssh", "known_hosts"), line);
    try {
      await ex.client("127.0.0.2");
      expect(await knownHosts()).toBe(line);
    } finally {
      await ex.close();
    }
  });

  test("a changed host key is refused, naming both fingerprints and the ssh-keygen fix", async () => {
    const other = await startSshd({ addresses: ["127.0.0.7"], userKey: sshd.userKey });
    const { ex } = await executor({ port: other.port });
    const name = `[127.0.0.7]:${other.port}`;
    await mkdir(join(home, ".ssh"), { recursive: true });
    await writeFile(join(home, ".ssh", "known_hosts"), `${name} ${sshd.hostKey}\n`);
    try {
      const err = await ex.client("127.0.0.7").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SextantError);
      const file = join(home, ".ssh", "known_hosts");
      expect((err as SextantError).message).toBe(
        `[127.0.0.7] host key for ${name} has changed: it presented ssh-ed25519 ${fingerprint(hostKeyBlob(other))}, but ${file}:1 has ssh-ed25519 ${fingerprint(hostKeyBlob(sshd))}`,
      );
      expect((err as SextantError).hint).toContain(`ssh-keygen -R '${name}'`);
    } finally {
      await ex.close();
      await other.stop();
    }
  });

  test("keys pinned in .kamal/known_hosts are checked first", async () => {
    const { ex } = await executor();
    const name = `[127.0.0.2]:${sshd.port}`;
    await mkdir(join(home, ".ssh"), { recursive: true });
    await writeFile(join(home, ".ssh", "known_hosts"), `${name} ${sshd.hostKey}\n`);
    await mkdir(join(app, ".kamal"));
    await writeFile(join(app, ".kamal", "known_hosts"), `${name} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1Z3JvdW5kZWQtYnV0LW5vdC10aGUtcmVhbC1rZXk=\n`);
    try {
      await expect(ex.client("127.0.0.2")).rejects.toThrow(`${join(app, ".kamal", "known_hosts")}:1 has ssh-ed25519`);
    } finally {
      await ex.close();
    }
  });

  test("a port where nothing listens fails fast with connection refused", async () => {
    const { ex } = await executor({ port: await freePort() });
    const started = Date.now();
    const err = await ex.client("127.0.0.2").catch((e: unknown) => e);
    expect((err as SextantError).message).toMatch(/^\[127\.0\.0\.2\] could not connect to root@127\.0\.0\.2:\d+: connection refused$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a server that never speaks SSH hits the connect timeout", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.2", r));
    const port = (silent.address() as { port: number }).port;
    const { ex } = await executor({ port }, { connectTimeoutMs: 300 });
    try {
      await expect(ex.client("127.0.0.2")).rejects.toThrow(`[127.0.0.2] timed out connecting to root@127.0.0.2:${port}`);
    } finally {
      silent.close();
    }
  });

  test("connects through a jump host (ssh.proxy) with one connection to each", async () => {
    const jump = await startSshd({ addresses: ["127.0.0.5"], userKey: sshd.userKey });
    const { ex } = await executor({ proxy: `root@127.0.0.5:${jump.port}` });
    try {
      expect(await ex.capture("127.0.0.3", cmd("echo", "via-jump"))).toBe("via-jump");
      expect(ex.stats().get("127.0.0.5")).toEqual({ connects: 1, execs: 0 });
      expect(ex.stats().get("127.0.0.3")).toEqual({ connects: 1, execs: 1 });
      expect(await knownHosts()).toContain(`[127.0.0.5]:${jump.port} ${jump.hostKey}`);
    } finally {
      await ex.close();
      await jump.stop();
    }
  });

  test("a Host alias in ~/.ssh/config supplies HostName, Port, User and IdentityFile", async () => {
    home = await mkdtemp(join(tmpdir(), "sextant-home-"));
    app = await mkdtemp(join(tmpdir(), "sextant-app-"));
    await mkdir(join(home, ".ssh"));
    await writeFile(
      join(home, ".ssh", "config"),
      `Host web-alias\n  HostName 127.0.0.4\n  Port ${sshd.port}\n  User root\n  IdentityFile ${sshd.userKey}\n`,
    );
    const { ex } = await executor(
      { config: true, keys: undefined, keysOnly: undefined, user: "root", port: 22 },
      { explicit: { user: false, port: false }, fresh: false },
    );
    try {
      expect(await ex.capture("web-alias", cmd("sh", "-c", "'echo $SSH_CONNECTION'"))).toMatch(new RegExp(` 127\\.0\\.0\\.4 ${sshd.port}$`));
      expect(await knownHosts()).toBe(`[127.0.0.4]:${sshd.port} ${sshd.hostKey}\n`);
    } finally {
      await ex.close();
    }
  });

  test("a secret fed on stdin never shows in any process's command line or environment", async () => {
    const { ex } = await executor();
    const secret = `s3cret-${randomBytes(6).toString("hex")}`;
    try {
      const running = ex.run("127.0.0.2", cmd("sh", "-c", "'sleep 2; cat > /dev/null'"), { stdin: new Secret(secret) });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await processesMentioning(secret)).toEqual([]);
      await running;
    } finally {
      await ex.close();
    }
  });

  test("stdin ending in a newline rides in the host's shell as a here-document: exact, no session of its own, never in a command line", async () => {
    const { ex } = await executor();
    const secret = `s3cret-${randomBytes(6).toString("hex")}`;
    try {
      const running = ex.run("127.0.0.2", cmd("sh", "-c", "'sleep 2; cat'"), { stdin: new Secret(`${secret}\n'$x\\\n`) });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await processesMentioning(secret)).toEqual([]);
      expect((await running).stdout).toBe(`${secret}\n'$x\\\n`);
      expect(ex.stats().get("127.0.0.2")).toEqual({ connects: 1, execs: 1 });
    } finally {
      await ex.close();
    }
  });

  test("an AbortSignal interrupts the command in flight; the connection stays usable", async () => {
    const { ex } = await executor();
    const ac = new AbortController();
    try {
      await ex.client("127.0.0.2");
      const running = ex.run("127.0.0.2", cmd("sleep", "3"), { signal: ac.signal });
      await new Promise((r) => setTimeout(r, 300));
      const aborted = Date.now();
      ac.abort();
      await expect(running).rejects.toBeInstanceOf(InterruptedError);
      expect(Date.now() - aborted).toBeLessThan(100);
      expect(await ex.capture("127.0.0.2", cmd("echo", "still-here"))).toBe("still-here");
      expect(ex.stats().get("127.0.0.2")?.connects).toBe(1);
    } finally {
      await ex.close();
    }
  });

  test("a per-command timeout ends the command with a clear error", async () => {
    const { ex } = await executor();
    try {
      await expect(ex.run("127.0.0.2", cmd("sleep", "3"), { timeoutMs: 200 })).rejects.toThrow(
        "[127.0.0.2] sleep 3 did not finish: timed out after 200 ms",
      );
    } finally {
      await ex.close();
    }
  });

  test("interactive runs on a PTY with the terminal's input and returns the exit code", async () => {
    const { ex } = await executor();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let screen = "";
    stdout.on("data", (c: Buffer) => (screen += c.toString()));
    try {
      stdin.write("6\n");
      const code = await ex.interactive("127.0.0.2", cmd("sh", "-c", "'read x; [ -t 0 ] && echo tty-$x; exit $x'"), {}, { stdin, stdout, stderr: new PassThrough() });
      expect(code).toBe(6);
      expect(screen).toContain("tty-6\r\n");
    } finally {
      await ex.close();
    }
  });

  test("follow hands over whole lines as they come, and aborting it ends the command on the host", async () => {
    const { ex } = await executor();
    const pidFile = join(app, "follow.pid");
    const lines: string[] = [];
    const controller = new AbortController();
    // A line split across two writes, then a command that would run for ten minutes.
    const script = `echo $$ > ${pidFile}; printf "one\\ntw"; sleep 0.3; printf "o\\nthree\\n"; exec sleep 600`;
    try {
      const following = ex.follow("127.0.0.2", cmd("sh", "-c", `'${script}'`), (line) => lines.push(line), { signal: controller.signal });
      while (!lines.includes("three")) await new Promise((r) => setTimeout(r, 20));
      expect(lines).toEqual(["one", "two", "three"]);
      controller.abort();
      expect(await following).toBe(255);
      const pid = (await readFile(pidFile, "utf8")).trim();
      const alive = () => spawnSync("kill", ["-0", pid]).status === 0;
      for (let waited = 0; alive() && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(alive()).toBe(false);
    } finally {
      await ex.close();
    }
  });

  test("createExecutor routes hosts over SSH with key_data from secrets and an explicit port", async () => {
    app = await mkdtemp(join(tmpdir(), "sextant-app-"));
    home = await mkdtemp(join(tmpdir(), "sextant-home-"));
    const config = configFromYaml(
      `service: app\nimage: acme/app\nservers:\n  - 127.0.0.4\nregistry:\n  username: u\n  password: pw\nbuilder:\n  arch: amd64\nssh:\n  port: ${sshd.port}\n  keys_only: true\n  config: false\n  key_data: [SSH_PRIVATE_KEY]\n`,
      { secrets: { SSH_PRIVATE_KEY: await readFile(sshd.userKey, "utf8") } },
    );
    const ex = createExecutor({ dryRun: false, config, reporter: new MemoryReporter(), cwd: app, env: { HOME: home, PATH: process.env.PATH } });
    try {
      expect(await ex.capture("127.0.0.4", cmd("echo", "keyed"))).toBe("keyed");
      expect(await ex.capture("local", cmd("echo", "here"))).toBe("here");
      expect(ex.stats()).toEqual(new Map([["127.0.0.4", { connects: 1, execs: 1 }]]));
    } finally {
      await ex.close();
    }
  });

  test("keyscan returns the host keys as known_hosts lines without logging in or recording them", async () => {
    home = await mkdtemp(join(tmpdir(), "sextant-home-"));
    const ssh: Ssh = { user: "root", port: sshd.port, proxy: undefined, proxyCommand: undefined, logLevel: "fatal", keysOnly: true, keys: [], keyData: undefined, config: false, forwardAgent: false };
    const lines = await keyscan(["127.0.0.2", "127.0.0.3"], ssh, { cwd: home, env: { HOME: home } });
    expect(lines).toEqual([`[127.0.0.2]:${sshd.port} ${sshd.hostKey}`, `[127.0.0.3]:${sshd.port} ${sshd.hostKey}`]);
    await expect(readFile(join(home, ".ssh", "known_hosts"), "utf8")).rejects.toThrow("ENOENT");
  });

  test("logs in with a key held by ssh-agent (SSH_AUTH_SOCK) and forwards it, unless the host refuses forwarding", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sextant-agent-"));
    const sock = join(dir, "agent.sock");
    const agent = spawn("/usr/bin/ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
      const added = spawnSync("/usr/bin/ssh-add", [sshd.userKey], { env: { SSH_AUTH_SOCK: sock }, encoding: "utf8" });
      expect(added.status).toBe(0);
      const remoteSocket = cmd("sh", "-c", "'echo ${SSH_AUTH_SOCK-none}'");
      const { ex } = await executor({ keys: undefined, keysOnly: undefined, forwardAgent: true }, { env: { SSH_AUTH_SOCK: sock } });
      try {
        expect(await ex.capture("127.0.0.2", remoteSocket)).toMatch(/^\/tmp\/ssh-/);
      } finally {
        await ex.close();
      }
      const strict = await startSshd({ addresses: ["127.0.0.9"], userKey: sshd.userKey, extra: ["AllowAgentForwarding no"] });
      const refused = await executor({ port: strict.port, keys: undefined, keysOnly: undefined, forwardAgent: true }, { env: { SSH_AUTH_SOCK: sock } });
      try {
        expect(await refused.ex.capture("127.0.0.9", remoteSocket)).toBe("none");
      } finally {
        await refused.ex.close();
        await strict.stop();
      }
    } finally {
      agent.kill();
    }
  });

  test("reaches hosts through ssh.proxy_command and through an ssh_config ProxyJump", async () => {
    const jump = await startSshd({ addresses: ["127.0.0.5"], userKey: sshd.userKey });
    const viaSsh = `ssh -q -i ${sshd.userKey} -p ${jump.port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.5 -W %h:%p`;
    try {
      const proxied = await executor({ proxyCommand: viaSsh });
      try {
        expect(await proxied.ex.capture("127.0.0.3", cmd("echo", "proxied"))).toBe("proxied");
      } finally {
        await proxied.ex.close();
      }
      home = await mkdtemp(join(tmpdir(), "sextant-home-"));
      app = await mkdtemp(join(tmpdir(), "sextant-app-"));
      await mkdir(join(home, ".ssh"));
      await writeFile(
        join(home, ".ssh", "config"),
        `Host inner\n  HostName 127.0.0.4\n  Port ${sshd.port}\n  ProxyJump root@127.0.0.5:${jump.port}\nHost *\n  IdentityFile ${sshd.userKey}\n`,
      );
      const jumped = await executor({ config: true, keys: undefined, keysOnly: undefined }, { explicit: { user: true, port: false }, fresh: false });
      try {
        expect(await jumped.ex.capture("inner", cmd("echo", "jumped"))).toBe("jumped");
        expect(jumped.ex.stats().get("127.0.0.5")).toEqual({ connects: 1, execs: 0 });
      } finally {
        await jumped.ex.close();
      }
    } finally {
      await jump.stop();
    }
  });

  test("more commands at once than sshd's MaxSessions (10) queue on the one connection", async () => {
    const { ex } = await executor();
    try {
      const outputs = await Promise.all(Array.from({ length: 12 }, (_, i) => ex.capture("127.0.0.2", cmd("echo", String(i)))));
      expect(outputs).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
      expect(ex.stats().get("127.0.0.2")).toEqual({ connects: 1, execs: 12 });
    } finally {
      await ex.close();
    }
  });

  test("DNS failures are retried with a warning, then reported with the host", async () => {
    const { ex, reporter } = await executor();
    await expect(ex.client("nothing-here.invalid")).rejects.toThrow("[nothing-here.invalid] could not resolve nothing-here.invalid");
    expect(reporter.of("warn")).toEqual([expect.stringMatching(/^Retrying DNS for nothing-here\.invalid \(attempt 1\/1\) in 0\.[12]\ds: /)]);
  });

  test("a dropped connection is opened again by the next command", async () => {
    const { ex } = await executor();
    try {
      const client = await ex.client("127.0.0.2");
      await new Promise<void>((r) => (client.once("close", () => r()), client.end()));
      expect(await ex.capture("127.0.0.2", cmd("echo", "back"))).toBe("back");
      expect(ex.stats().get("127.0.0.2")).toEqual({ connects: 2, execs: 1 });
    } finally {
      await ex.close();
    }
  });

  test("a connection dropped during the handshake is retried, then reported", async () => {
    const rude = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => rude.listen(0, "127.0.0.2", r));
    const port = (rude.address() as { port: number }).port;
    const { ex, reporter } = await executor({ port });
    try {
      await expect(ex.client("127.0.0.2")).rejects.toThrow(`[127.0.0.2] could not connect to root@127.0.0.2:${port}`);
      expect(reporter.of("warn")).toEqual([expect.stringMatching(/^Retrying connection to 127\.0\.0\.2 \(attempt 1\/1\) in 0\.[12]\ds: /)]);
    } finally {
      rude.close();
    }
  });

  test("a host known only by its RSA key is checked against that key, not refused for presenting ed25519", async () => {
    const keyDir = await mkdtemp(join(tmpdir(), "sextant-rsa-"));
    keygen(join(keyDir, "host_rsa"), "rsa");
    const rsaHost = await startSshd({ addresses: ["127.0.0.8"], userKey: sshd.userKey, extra: [`HostKey ${join(keyDir, "host_rsa")}`] });
    const { ex } = await executor({ port: rsaHost.port });
    const rsaLine = (await readFile(join(keyDir, "host_rsa.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
    await mkdir(join(home, ".ssh"), { recursive: true });
    await writeFile(join(home, ".ssh", "known_hosts"), `[127.0.0.8]:${rsaHost.port} ${rsaLine}\n`);
    try {
      await ex.client("127.0.0.8");
      expect(await knownHosts()).toBe(`[127.0.0.8]:${rsaHost.port} ${rsaLine}\n`);
    } finally {
      await ex.close();
      await rsaHost.stop();
    }
  });

  test("a remote forward carries the host's connections to a port here until it is closed", async () => {
    // On loopback the "host" is this machine, so the forwarded port and the local one must differ.
    const server = createServer((socket) => socket.end("hello from here\n"));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    const localPort = typeof address === "object" && address ? address.port : 0;
    const remotePort = await freePort();
    const { ex } = await executor();
    const dial = cmd("bash", "-c", `'exec 3<>/dev/tcp/127.0.0.1/${remotePort} && cat <&3 || echo refused'`);
    try {
      const forward = await forwardRemotePort(await ex.client("127.0.0.2"), remotePort, { host: "127.0.0.1", port: localPort });
      expect(await ex.capture("127.0.0.2", dial)).toBe("hello from here");
      await forward.close();
      expect(await ex.capture("127.0.0.2", dial)).toContain("refused");
    } finally {
      await ex.close();
      server.close();
    }
  });

  test("a port the host cannot listen on is named with the fix", async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
    const address = taken.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const { ex } = await executor();
    try {
      await expect(ex.forwardRemotePort("127.0.0.2", port)).rejects.toThrow(`[127.0.0.2] could not forward port ${port} to this machine`);
    } finally {
      await ex.close();
      taken.close();
    }
  });

  test("a passphrase-protected key is used once its passphrase is given, and named when it is not", async () => {
    const key = join(await mkdtemp(join(tmpdir(), "sextant-locked-key-")), "id_ed25519");
    const made = spawnSync("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "open sesame", "-f", key], { encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    await writeFile(join(sshd.dir, "authorized_keys"), `${await readFile(join(sshd.dir, "authorized_keys"), "utf8")}${await readFile(`${key}.pub`, "utf8")}`);
    const asked: string[] = [];
    const answering = (answer: string | undefined): PassphraseSource => async (file) => (asked.push(file), answer);

    const unlocked = await executor({ keys: [key] }, { passphrase: answering("open sesame") });
    try {
      expect(await unlocked.ex.capture("127.0.0.2", cmd("echo", "in"))).toBe("in");
      expect(asked).toEqual([key]);
    } finally {
      await unlocked.ex.close();
    }
    for (const passphrase of [undefined, answering("wrong")]) {
      const locked = await executor({ keys: [key] }, { passphrase });
      try {
        await expect(locked.ex.capture("127.0.0.2", cmd("true"))).rejects.toThrow(
          `[127.0.0.2] authentication failed for root@127.0.0.2:${sshd.port} (0 keys offered; passphrase-protected and not unlocked: ${key})`,
        );
      } finally {
        await locked.ex.close();
      }
    }
  });

  test("a jump host that refuses forwarding is named in the error", async () => {
    const jump = await startSshd({ addresses: ["127.0.0.6"], userKey: sshd.userKey, extra: ["AllowTcpForwarding no"] });
    const { ex } = await executor({ proxy: `root@127.0.0.6:${jump.port}` });
    try {
      await expect(ex.client("127.0.0.3")).rejects.toThrow(`[127.0.0.3] jump host 127.0.0.6 could not reach 127.0.0.3:${sshd.port}: `);
    } finally {
      await ex.close();
      await jump.stop();
    }
  });
});

/** PIDs whose command line or environment contains `text` (NUL separates argv words). */
async function processesMentioning(text: string): Promise<string[]> {
  const pids = (await readdir("/proc")).filter((p) => /^\d+$/.test(p) && p !== String(process.pid));
  const hits: string[] = [];
  for (const pid of pids) {
    for (const file of ["cmdline", "environ"]) {
      const content = await readFile(`/proc/${pid}/${file}`, "latin1").catch(() => "");
      if (content.includes(text)) hits.push(`${pid}/${file}`);
    }
  }
  return hits;
}
