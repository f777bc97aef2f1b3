import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfigFiles, parseSshConfig, resolveHostConfig } from "../../src/exec/ssh-config.ts";

const HOME = "/home/deployer";
const resolveIn = (text: string, host: string) => resolveHostConfig(parseSshConfig(text), host, HOME);

describe("ssh_config", () => {
  test("first obtained value wins, across blocks in file order", () => {
    const text = `
Host web-*
  User deploy
  Port 2222
Host *
  User root
  Port 22
  StrictHostKeyChecking accept-new
`;
    expect(resolveIn(text, "web-1")).toMatchObject({ user: "deploy", port: 2222, strictHostKeyChecking: "accept-new" });
    expect(resolveIn(text, "db-1")).toMatchObject({ user: "root", port: 22 });
  });

  test("HostName aliases a host, with %h standing for the name given", () => {
    const text = "Host app\n  HostName 10.0.0.5\nHost *.lan\n  HostName %h.example.com\n";
    expect(resolveIn(text, "app").hostName).toBe("10.0.0.5");
    expect(resolveIn(text, "box.lan").hostName).toBe("box.lan.example.com");
    expect(resolveIn(text, "other").hostName).toBeUndefined();
  });

  test("patterns: ? wildcard, several per line, negation excludes", () => {
    const text = "Host web? !web9 db\n  User a\n";
    expect(resolveIn(text, "web1").user).toBe("a");
    expect(resolveIn(text, "web9").user).toBeUndefined();
    expect(resolveIn(text, "web10").user).toBeUndefined();
    expect(resolveIn(text, "DB").user).toBe("a");
  });

  test("IdentityFile accumulates and expands ~; key=value and quoted forms parse", () => {
    const text = 'Host *\n  IdentityFile ~/.ssh/id_one\nIdentityFile="/keys/with space"\n  IdentitiesOnly=yes\n';
    expect(resolveIn(text, "h")).toMatchObject({
      identityFiles: ["/home/deployer/.ssh/id_one", "/keys/with space"],
      identitiesOnly: true,
    });
  });

  test("options before any Host apply to all hosts; comments and blank lines are ignored", () => {
    const text = "# global\nUser ops  # trailing comment\n\nHost x\n  User other\n";
    expect(resolveIn(text, "x").user).toBe("ops");
  });

  test("ProxyJump, ProxyCommand and known-hosts files; `none` means none", () => {
    const text = "Host a\n  ProxyJump jump@bastion:2200\nHost b\n  ProxyJump none\n  ProxyCommand nc %h %p\nHost *\n  UserKnownHostsFile ~/.ssh/k1 ~/.ssh/k2\n";
    expect(resolveIn(text, "a")).toMatchObject({
      proxyJump: "jump@bastion:2200",
      userKnownHostsFiles: ["/home/deployer/.ssh/k1", "/home/deployer/.ssh/k2"],
    });
    expect(resolveIn(text, "b")).toMatchObject({ proxyJump: undefined, proxyCommand: "nc %h %p" });
  });

  test("Match all applies; other Match criteria are skipped", () => {
    const text = "Match exec true\n  User no\nMatch host web*\n  Port 2022\nMatch all\n  User yes\n";
    expect(resolveIn(text, "web1")).toMatchObject({ user: "yes", port: 2022 });
  });

  test("loads files in order, skipping missing ones, following Include relative to ~/.ssh", async () => {
    const home = await mkdtemp(join(tmpdir(), "sextant-sshcfg-"));
    await mkdir(join(home, ".ssh", "conf.d"), { recursive: true });
    await writeFile(join(home, ".ssh", "config"), "Include conf.d/*.conf\nHost *\n  User fallback\n");
    await writeFile(join(home, ".ssh", "conf.d", "10-app.conf"), "Host app\n  HostName 127.0.0.9\n  User app\n");
    const blocks = await loadConfigFiles([join(home, ".ssh", "config"), join(home, "missing")], home);
    expect(resolveHostConfig(blocks, "app", home)).toMatchObject({ hostName: "127.0.0.9", user: "app" });
    expect(resolveHostConfig(blocks, "other", home).user).toBe("fallback");
  });
});
