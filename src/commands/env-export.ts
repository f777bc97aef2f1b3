// SSHKit's form of a command run with an environment (`execute *cmd, env: {...}`): the variables are exported in a
// subshell in front of the command, so the line itself carries them, as Kamal prints it under --verbose
// (sshkit lib/sshkit/command.rb `with_environment`, `environment_string`).
import { cmd, type Shell } from "./shell.ts";

/** `( export KEY="value" ... ; CMD )`, or `c` itself when there is nothing to export. */
export function withEnv(env: Readonly<Record<string, string>>, c: Shell): Shell {
  const pairs = Object.entries(env);
  if (pairs.length === 0) return c;
  return cmd("( export", pairs.map(([key, value]) => `${key}="${value.replaceAll('"', '\\"')}"`), ";", c.tokens, ")");
}
