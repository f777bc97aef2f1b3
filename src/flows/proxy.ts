// `proxy boot` for one host (kamal-commands.md §6.6): the kamal network, then start the existing kamal-proxy or run
// a new one. Expressed as script steps so a deploy can put them in a host's first round trip.
import * as docker from "../commands/docker.ts";
import * as proxy from "../commands/proxy.ts";
import { PROXY_MINIMUM_VERSION } from "../commands/names.ts";
import { SextantError } from "../errors.ts";
import type { RunResult, ScriptStep } from "../exec/executor.ts";
import type { Context } from "./context.ts";

/** Steps before the proxy starts: the network ("already exists" ignored) and, on proxy hosts, the version check. */
export function proxyBootSteps(ctx: Context, host: string): ScriptStep[] {
  const steps: ScriptStep[] = [{ cmd: docker.createNetwork(), ignoreFailure: true }];
  if (!ctx.selection.proxyHosts.includes(host)) return steps;
  return [
    ...steps,
    { cmd: proxy.version(), ignoreFailure: true },
    { cmd: proxy.ensureAppsConfigDirectory() },
    { cmd: proxy.startOrRun(proxy.proxyRunFor(ctx.config, host)) },
  ];
}

/** Fails when the running kamal-proxy is older than the version Kamal 2.12 needs (the version step's output). */
export function checkProxyVersion(host: string, versionResult: RunResult | undefined): void {
  const running = versionResult?.code === 0 ? versionResult.stdout.trim() : "";
  if (running && isOlder(running, PROXY_MINIMUM_VERSION))
    throw new SextantError(`[${host}] kamal-proxy version ${running} is too old`, {
      hint: `run \`sextant proxy reboot\` in order to update to at least ${PROXY_MINIMUM_VERSION}`,
    });
}

/** Compares `vX.Y.Z` tags numerically; anything unparsable (e.g. `latest`) counts as new enough. */
export function isOlder(tag: string, minimum: string): boolean {
  const parse = (t: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(t)?.slice(1).map(Number);
  const a = parse(tag);
  const b = parse(minimum);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** Runs proxy boot on one host on its own (the `proxy boot` command and accessory-only hosts in a deploy). */
export async function bootProxyOn(ctx: Context, host: string): Promise<void> {
  const steps = proxyBootSteps(ctx, host);
  const results = await ctx.ex.script(host, steps, { signal: ctx.signal });
  checkProxyVersion(host, results[1]);
}
