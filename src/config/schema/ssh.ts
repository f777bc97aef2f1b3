// `ssh:` (kamal lib/kamal/configuration/docs/ssh.yml).
import * as z from "zod";
import { either, isArray, isStringish } from "./either.ts";
import { bool, str, strList } from "./types.ts";

export const sshSchema = z
  .strictObject({
    user: str.optional().meta({ default: "root" }).describe("SSH user on every host"),
    port: str.optional().meta({ default: 22 }).describe("SSH port"),
    proxy: str.optional().describe("Jump host, `host` or `user@host` (user defaults to root)"),
    proxy_command: str.optional().describe("OpenSSH ProxyCommand (`%h`, `%p`)"),
    log_level: str.optional().meta({ default: "fatal" }).describe("SSH library log level"),
    keys_only: bool.optional().describe("Use only `keys`/`key_data`, not the agent's other keys"),
    keys: strList.optional().describe("Private key files"),
    key_data: strList.optional().describe("Names of secrets holding private keys"),
    config: either(
      "should be a boolean or a string or an array",
      [isStringish, str],
      [isArray, strList],
    )
      .optional()
      .meta({ default: true })
      .describe("OpenSSH config files: true (the default files), false (none), or paths"),
    forward_agent: bool.optional().meta({ default: true }).describe("Forward the SSH agent"),
  })
  .describe("How to connect to the hosts");
