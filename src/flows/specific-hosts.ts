// Kamal's `KAMAL.with_specific_hosts(hosts)` (lib/kamal/commander.rb): run part of a command on some of the
// selected hosts, e.g. one host at a time under `--rolling`. The -r filter still applies.
import { select } from "../config/selection.ts";
import type { Context } from "./context.ts";

/**
 * The same context narrowed to `hosts` (a non-empty subset of the selection). It shares the run state, so a lock
 * the caller holds stays held, and stays on the caller's primary host.
 */
export function onlyHosts(ctx: Context, hosts: readonly string[]): Context {
  const roles = ctx.selection.rolesFilter?.join(",");
  return { ...ctx, selection: select(ctx.config, { hosts: hosts.join(","), ...(roles ? { roles } : {}) }) };
}

/** `--rolling`: one group per host; otherwise one group of them all (none when there are no hosts). */
export const hostGroups = (hosts: readonly string[], rolling: boolean): string[][] =>
  rolling ? hosts.map((host) => [host]) : hosts.length > 0 ? [[...hosts]] : [];
