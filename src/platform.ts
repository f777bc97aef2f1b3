import { UsageError } from "./errors.ts";

/**
 * Why sextant cannot run on this client platform, or undefined when it can. Native Windows is refused outright
 * rather than half-supported: local commands (ERB backticks, `$(...)` in secrets, hooks, builds) run through
 * `/bin/sh` as in Kamal, and the SSH agent is reached through a Unix socket (SSH_AUTH_SOCK), so a run there
 * would fail midway, possibly holding the deploy lock. WSL is Linux and works.
 */
export function unsupportedPlatform(platform: NodeJS.Platform): UsageError | undefined {
  if (platform !== "win32") return undefined;
  return new UsageError("sextant does not run on native Windows: it needs a POSIX shell (/bin/sh) and a Unix SSH agent socket", {
    hint: "run it inside WSL (Windows Subsystem for Linux): https://learn.microsoft.com/windows/wsl/install",
  });
}
