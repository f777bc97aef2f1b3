// Registry login on hosts. sextant feeds the password on stdin (`docker login --password-stdin`), so it never
// appears in the host's process list, where Kamal's `-p` would show it.
import * as registry from "../commands/registry.ts";
import type { Registry } from "../config/model.ts";
import { LOCAL, type ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";

/** Logs `host` in to `reg` (the app registry by default); nothing for a local registry. */
export async function loginOnHost(ctx: Context, host: string, reg: Registry = ctx.config.registry): Promise<void> {
  await ctx.ex.script(host, loginSteps(reg), { signal: ctx.signal });
}

/** A host's login as script steps, to ride with what follows it: none for a local registry. */
export function loginSteps(reg: Registry): ScriptStep[] {
  const login = registry.loginWithStdin(reg);
  return login === undefined ? [] : [{ cmd: login, stdin: registry.loginPassword(reg) }];
}

export async function logoutOnHost(ctx: Context, host: string, reg: Registry = ctx.config.registry): Promise<void> {
  if (reg.local) return;
  await ctx.ex.run(host, registry.logout(reg), { signal: ctx.signal });
}

export type RegistryScope = { readonly skipLocal?: boolean; readonly skipRemote?: boolean };

/** `registry setup|login` (kamal-commands.md §6.8): this machine (or the local registry), then every selected host. */
export async function setupRegistry(ctx: Context, scope: RegistryScope = {}): Promise<void> {
  const reg = ctx.config.registry;
  if (reg.local) {
    if (!scope.skipLocal) await ctx.ex.run(LOCAL, registry.setup(reg), { signal: ctx.signal });
    return;
  }
  if (!scope.skipLocal) {
    const login = registry.loginWithStdin(reg);
    if (login) await ctx.ex.run(LOCAL, login, { stdin: registry.loginPassword(reg), signal: ctx.signal });
  }
  if (!scope.skipRemote) {
    await preConnect(ctx);
    await onHosts(ctx.selection.hosts, (host) => loginOnHost(ctx, host), { signal: ctx.signal });
  }
}

/** `registry remove|logout`. */
export async function removeRegistry(ctx: Context, scope: RegistryScope = {}): Promise<void> {
  const reg = ctx.config.registry;
  if (reg.local) {
    if (!scope.skipLocal) await ctx.ex.attempt(LOCAL, registry.remove(), { signal: ctx.signal });
    return;
  }
  if (!scope.skipLocal) await ctx.ex.run(LOCAL, registry.logout(reg), { signal: ctx.signal });
  if (!scope.skipRemote) {
    await preConnect(ctx);
    await onHosts(ctx.selection.hosts, (host) => logoutOnHost(ctx, host), { signal: ctx.signal });
  }
}
