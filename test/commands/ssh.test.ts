import { describe, expect, it } from "vitest";
import { cmd, render } from "../../src/commands/shell.ts";
import { shellWrap } from "../../src/commands/sh.ts";
import { runOverSsh } from "../../src/commands/ssh.ts";
import { Secret } from "../../src/config/secret.ts";
import { BASE, load } from "./fixtures.ts";

const over = (sshYaml: string) => render(runOverSsh(load(`${BASE}servers:\n- 1.1.1.1\nssh:\n${sshYaml}`).ssh, "1.1.1.1", cmd("echo", "'hi'")));

describe("ssh -t lines", () => {
  const cases: [string, string, string][] = [
    ["a user and port", "  user: app\n  port: 2222\n", "ssh -t app@1.1.1.1 -p 2222 'echo '\\''hi'\\'''"],
    ["a jump host, root@ added", "  proxy: 2.2.2.2\n", "ssh -J root@2.2.2.2 -t root@1.1.1.1 -p 22 'echo '\\''hi'\\'''"],
    ["a jump host with a user", "  proxy: app@2.2.2.2\n", "ssh -J app@2.2.2.2 -t root@1.1.1.1 -p 22 'echo '\\''hi'\\'''"],
    ["a proxy command", "  proxy_command: ssh -W %h:%p user@proxy-server\n", "ssh -o ProxyCommand='ssh -W %h:%p user@proxy-server' -t root@1.1.1.1 -p 22 'echo '\\''hi'\\'''"],
    ["keys only", "  keys: [path_to_key.pem]\n  keys_only: true\n", "ssh -i path_to_key.pem -o IdentitiesOnly=yes -t root@1.1.1.1 -p 22 'echo '\\''hi'\\'''"],
    ["config files", "  config: [~/.ssh/config1, ~/.ssh/config2]\n", "ssh -F ~/.ssh/config1 -F ~/.ssh/config2 -t root@1.1.1.1 -p 22 'echo '\\''hi'\\'''"],
    ["no ssh config", "  config: false\n", "ssh -F /dev/null -t root@1.1.1.1 -p 22 'echo '\\''hi'\\'''"],
  ];
  for (const [name, yaml, expected] of cases) it(`builds ${name}`, () => expect(over(yaml)).toBe(expected));
});

describe("quoting a command into text", () => {
  it("refuses commands holding secrets, which would be sent redacted", () => {
    const config = load(`${BASE}servers:\n- 1.1.1.1\n`);
    const login = cmd("docker", "login", "-p", new Secret("pw"));
    expect(() => runOverSsh(config.ssh, "1.1.1.1", login)).toThrow("runOverSsh would flatten a secret into plain text");
    expect(() => shellWrap(login)).toThrow("shellWrap would flatten a secret into plain text");
  });
});
