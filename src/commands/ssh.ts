// The local `ssh -t ...` line for interactive and follow commands (kamal lib/kamal/commands/base.rb
// `run_over_ssh`). It runs on this machine, so it is one string for sh, not a remote command.
import type { Ssh } from "../config/model.ts";
import { cmd, hasSecrets, render, type Shell } from "./shell.ts";
import { singleQuote } from "./sh.ts";

function configArgs(config: Ssh["config"]): string[] {
  if (config === true) return [];
  if (config === false) return ["-F", "/dev/null"];
  return config.flatMap((file) => ["-F", file]);
}

function proxyArgs(ssh: Ssh): string[] {
  // Net::SSH::Proxy::Jump is built with `root@` when the proxy names no user (configuration/ssh.rb).
  if (ssh.proxy !== undefined) return ["-J", ssh.proxy.includes("@") ? ssh.proxy : `root@${ssh.proxy}`];
  if (ssh.proxyCommand !== undefined) return ["-o", `ProxyCommand=${singleQuote(ssh.proxyCommand)}`];
  return [];
}

const keyArgs = (ssh: Ssh): string[] => [
  ...(ssh.keys ?? []).flatMap((key) => ["-i", key]),
  ...(ssh.keysOnly ? ["-o", "IdentitiesOnly=yes"] : []),
];

/** `ssh [-F cfg] [-J jump | -o ProxyCommand=...] [-i key] [-o IdentitiesOnly=yes] -t USER@HOST -p PORT '<command>'` */
export function runOverSsh(ssh: Ssh, host: string, command: Shell): Shell {
  // The remote command becomes text inside quotes; a secret there would be sent as [REDACTED].
  if (hasSecrets(command)) throw new Error("runOverSsh would flatten a secret into plain text");
  return cmd("ssh", configArgs(ssh.config), proxyArgs(ssh), keyArgs(ssh), "-t", `${ssh.user}@${host}`, "-p", String(ssh.port),
    singleQuote(render(command)));
}
