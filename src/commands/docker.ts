// Docker installation and host checks used by `server bootstrap` (kamal lib/kamal/commands/docker.rb).
import { cmd, or, pipe, type Shell } from "./shell.ts";
import { NETWORK } from "./names.ts";
import { shellWrap } from "./sh.ts";

/** Docker's convenience script, fetched with curl or wget, piped to sh. */
export const install = (): Shell => {
  const script = or(cmd("curl", "-fsSL", "https://get.docker.com"), cmd("wget", "-O -", "https://get.docker.com"), cmd("echo", '"exit 1"'));
  return pipe(shellWrap(script), cmd("sh"));
};

/** Fails when the docker client is missing. */
export const isInstalled = (): Shell => cmd("docker", "-v");
/** Fails when the docker daemon is not running. */
export const isRunning = (): Shell => cmd("docker", "version");
/** Root, or allowed to run `usermod` through sudo without a password. */
export const isSuperuser = (): Shell => cmd('[ "${EUID:-$(id -u)}" -eq 0 ] || sudo -nl usermod >/dev/null');
export const isRoot = (): Shell => cmd('[ "${EUID:-$(id -u)}" -eq 0 ]');
export const isInDockerGroup = (): Shell => cmd('id -nG "${USER:-$(id -un)}" | grep -qw docker');
export const addToDockerGroup = (): Shell => cmd('sudo -n usermod -aG docker "${USER:-$(id -un)}"');
/** Ends the SSH session so the next connection picks up the new group; the disconnect is expected. */
export const refreshSession = (): Shell => cmd("kill -HUP $PPID");
/** Fails with "already exists" when the network is there, which callers ignore. */
export const createNetwork = (): Shell => cmd("docker", "network", "create", NETWORK);
