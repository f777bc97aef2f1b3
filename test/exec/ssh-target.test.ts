import { userInfo } from "node:os";
import { describe, expect, test } from "vitest";
import type { Ssh } from "../../src/config/model.ts";
import { parseSshConfig } from "../../src/exec/ssh-config.ts";
import { parseSpec, resolveTarget, type TargetSettings } from "../../src/exec/ssh-target.ts";

const HOME = "/home/me";
const ssh = (over: Partial<Ssh> = {}): Ssh => ({
  user: "root",
  port: 22,
  proxy: undefined,
  proxyCommand: undefined,
  logLevel: "fatal",
  keysOnly: undefined,
  keys: undefined,
  keyData: undefined,
  config: true,
  forwardAgent: true,
  ...over,
});
const settings = (over: Partial<Ssh>, config = "", explicit = { user: true, port: true }): TargetSettings => ({
  ssh: ssh(over),
  explicit,
  blocks: parseSshConfig(config),
  home: HOME,
  cwd: "/app",
});

describe("resolveTarget", () => {
  test("without keys named anywhere, offers OpenSSH's default identities; known_hosts files default to ~/.ssh", () => {
    const t = resolveTarget("web-1", settings({}));
    expect(t).toMatchObject({ host: "web-1", address: "web-1", port: 22, user: "root", keysOnly: false, via: undefined, hostKeyName: "web-1" });
    expect(t.identityFiles[0]).toBe("/home/me/.ssh/id_rsa");
    expect(t.userKnownHosts).toEqual(["/home/me/.ssh/known_hosts", "/home/me/.ssh/known_hosts2"]);
    expect(t.strictHostKeyChecking).toBe("accept-new");
  });

  test("deploy.yml keys come first (relative to the app), then IdentityFile; ~ expands", () => {
    const t = resolveTarget("web-1", settings({ keys: ["config/deploy_key", "~/.ssh/other"] }, "Host *\n  IdentityFile ~/.ssh/id_cfg\n"));
    expect(t.identityFiles).toEqual(["/app/config/deploy_key", "/home/me/.ssh/other", "/home/me/.ssh/id_cfg"]);
  });

  test("a user or port written in deploy.yml beats ssh_config; an unwritten one yields to it", () => {
    const config = "Host web-1\n  HostName 10.0.0.9\n  User deploy\n  Port 2222\n";
    expect(resolveTarget("web-1", settings({ user: "app", port: 2200 }, config))).toMatchObject({ user: "app", port: 2200, address: "10.0.0.9" });
    expect(resolveTarget("web-1", settings({}, config, { user: false, port: false }))).toMatchObject({
      user: "deploy",
      port: 2222,
      hostKeyName: "[10.0.0.9]:2222",
    });
  });

  test("ssh.proxy is a jump host whose user defaults to root; proxy_command wins over ssh_config", () => {
    expect(resolveTarget("web-1", settings({ proxy: "bastion.example.com" })).via).toMatchObject({
      jump: { host: "bastion.example.com", user: "root", port: 22 },
    });
    expect(resolveTarget("web-1", settings({ proxy: "ops@10.0.0.1:2022" })).via).toMatchObject({ jump: { user: "ops", port: 2022 } });
    expect(resolveTarget("web-1", settings({ proxyCommand: "nc %h %p" }, "Host *\n  ProxyJump j\n")).via).toEqual({ command: "nc %h %p" });
  });

  test("an ssh_config ProxyJump chain: the last hop is adjacent, earlier hops lead to it", () => {
    const t = resolveTarget("web-1", settings({}, "Host web-1\n  ProxyJump a@first,b@second:2200\n"));
    expect(t.via).toMatchObject({ jump: { host: "second", user: "b", port: 2200, via: { jump: { host: "first", user: "a" } } } });
  });

  test("a ProxyJump host without a user anywhere logs in as the local user, as OpenSSH does", () => {
    const t = resolveTarget("web-1", settings({}, "Host web-1\n  ProxyJump bastion\n"));
    expect(t.via).toMatchObject({ jump: { host: "bastion", user: userInfo().username } });
  });

  test("keys_only in deploy.yml beats IdentitiesOnly; HostKeyAlias names the known_hosts entry", () => {
    const config = "Host *\n  IdentitiesOnly yes\n  HostKeyAlias shared-name\n  StrictHostKeyChecking yes\n";
    expect(resolveTarget("h", settings({ keysOnly: false }, config))).toMatchObject({
      keysOnly: false,
      hostKeyName: "shared-name",
      strictHostKeyChecking: "yes",
    });
  });
});

describe("parseSpec", () => {
  test("reads user@host:port, bracketed IPv6 and bare hosts", () => {
    expect(parseSpec("root@1.2.3.4:2222")).toEqual({ user: "root", host: "1.2.3.4", port: 2222 });
    expect(parseSpec("[::1]:22")).toEqual({ user: undefined, host: "::1", port: 22 });
    expect(parseSpec("bastion")).toEqual({ user: undefined, host: "bastion", port: undefined });
  });
});
