// Where kamal-proxy keeps things (internal/server/config.go): state and ACME cache under
// $HOME/.config/kamal-proxy (the kamal-proxy-config volume), the control socket in the runtime or temp
// directory, deliberately outside the volume so a stale socket never survives a container restart.
import { mkdirSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(env.HOME ?? homedir(), ".config", "kamal-proxy");
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return tmpdir();
  }
}

export const statePath = (env: NodeJS.ProcessEnv = process.env): string => join(dataDir(env), "kamal-proxy.state");

export const certificatePath = (env: NodeJS.ProcessEnv = process.env): string => join(dataDir(env), "certs");

export function socketPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_RUNTIME_DIR || tmpdir(), "kamal-proxy.sock");
}
