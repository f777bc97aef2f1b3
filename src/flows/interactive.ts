// Interactive commands (`app exec -i`, `server exec -i`, `logs -f`): a PTY over the run's SSH connection instead of
// Kamal's exec into a local `ssh -t` process.
import { cmd as shell, type Shell } from "../commands/shell.ts";
import { SextantError } from "../errors.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";

/** Runs `command` (a Shell, or the user's raw text) interactively on `host`; a non-zero exit is an error. */
export async function interactive(ctx: Context, host: string, command: Shell | string): Promise<void> {
  const line = typeof command === "string" ? shell(command) : command;
  await preConnect(ctx);
  // The Recorder has interactive sessions too: a dry run plans one as what it is.
  if (!ctx.ex.interactive) {
    await ctx.ex.attempt(host, line, { signal: ctx.signal });
    return;
  }
  const code = await ctx.ex.interactive(host, line, { signal: ctx.signal });
  if (code !== 0) throw new SextantError(`[${host}] the interactive command exited ${code}`);
}
