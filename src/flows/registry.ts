// Registry login on hosts. sextant feeds the password on stdin (`docker login --password-stdin`), so it never
// appears in the host's process list, where Kamal's `-p` would show it.
import * as registry from "../commands/registry.ts";
import type { Registry } from "../config/model.ts";
import type { Context } from "./context.ts";

/** Logs `host` in to `reg` (the app registry by default); nothing for a local registry. */
export async function loginOnHost(ctx: Context, host: string, reg: Registry = ctx.config.registry): Promise<void> {
  const login = registry.loginWithStdin(reg);
  if (login === undefined) return;
  await ctx.ex.run(host, login, { stdin: registry.loginPassword(reg), signal: ctx.signal });
}

export async function logoutOnHost(ctx: Context, host: string, reg: Registry = ctx.config.registry): Promise<void> {
  if (reg.local) return;
  await ctx.ex.run(host, registry.logout(reg), { signal: ctx.signal });
}
