// Local git queries Kamal makes about the working tree (kamal lib/kamal/git.rb). They run on this machine.
import { cmd, type Shell } from "./shell.ts";

/** Exits non-zero outside a git repository. */
export const isUsed = (): Shell => cmd("git", "rev-parse");
/** Who holds a deploy lock. */
export const userName = (): Shell => cmd("git", "config", "user.name");
/** The performer in audit lines and hooks; Kamal falls back to `whoami` when empty. */
export const email = (): Shell => cmd("git", "config", "user.email");
export const whoami = (): Shell => cmd("whoami");
export const revision = (): Shell => cmd("git", "rev-parse", "HEAD");
export const uncommittedChanges = (): Shell => cmd("git", "status", "--porcelain");
export const root = (): Shell => cmd("git", "rev-parse", "--show-toplevel");
/** For `build dev`: files with uncommitted changes, and untracked files (ignored ones included). */
export const uncommittedFiles = (): Shell => cmd("git", "ls-files", "--modified");
export const untrackedFiles = (): Shell => cmd("git", "ls-files", "--others");
