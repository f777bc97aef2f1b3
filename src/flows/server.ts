// `server bootstrap` and `server exec` (kamal-commands.md §6.10).
import * as docker from "../commands/docker.ts";
import { cmd } from "../commands/shell.ts";
import { SextantError } from "../errors.ts";
import { LOCAL } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect, runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { printByHost } from "./by-host.ts";

/** Installs Docker where it is missing and the SSH user may install it, then runs the docker-setup hook. */
export async function bootstrap(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    const cannot: string[] = [];
    await onHosts(ctx.selection.hosts, async (host) => {
      if ((await ctx.ex.attempt(host, docker.isInstalled(), { signal: ctx.signal })).code === 0) return;
      if ((await ctx.ex.attempt(host, docker.isSuperuser(), { signal: ctx.signal })).code !== 0) {
        cannot.push(host);
        return;
      }
      ctx.report.info(`Missing Docker on ${host}. Installing…`, host);
      await ctx.ex.run(host, docker.install(), { signal: ctx.signal, stream: ctx.options.verbose });
      const root = await ctx.ex.attempt(host, docker.isRoot(), { signal: ctx.signal });
      const member = await ctx.ex.attempt(host, docker.isInDockerGroup(), { signal: ctx.signal });
      if (root.code !== 0 && member.code !== 0) {
        await ctx.ex.run(host, docker.addToDockerGroup(), { signal: ctx.signal });
        // The session ends here on purpose, so the next connection carries the new group.
        await ctx.ex.attempt(host, docker.refreshSession(), { signal: ctx.signal });
        ctx.report.info("Session refreshed due to group change.", host);
      }
    }, { signal: ctx.signal });
    if (cannot.length > 0)
      throw new SextantError(`Docker is not installed on ${cannot.join(", ")} and can't be automatically installed without having root access and either \`wget\` or \`curl\``, {
        hint: "install Docker manually (https://docs.docker.com/engine/install/), then run the command again",
      });
    await runHook(ctx, "docker-setup");
  });
}

/** Runs a command on every selected host and prints each host's output under an `App Host:` header. */
export async function exec(ctx: Context, words: readonly string[]): Promise<void> {
  const command = words.join(" ");
  await preConnect(ctx);
  ctx.report.info(`Running '${command}' on ${ctx.selection.hosts.join(", ")}...`);
  const outputs = await onHosts(ctx.selection.hosts, async (host) => {
    const [, result] = await ctx.ex.script(host, [
      await auditStep(ctx, `Executed cmd '${command}' on ${host}`),
      { cmd: cmd(command) },
    ], { signal: ctx.signal });
    return result?.stdout.trim() ?? "";
  }, { signal: ctx.signal });
  printByHost(ctx, "App", outputs);
}

/**
 * `server keyscan` (beyond Kamal): the selected hosts' keys, merged into `.kamal/known_hosts`, which sextant checks
 * before ~/.ssh/known_hosts. Writing a file of the app's is this flow's one local write, so it goes through the
 * executor as an upload to `local`.
 */
export async function pinHostKeys(ctx: Context, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const { keyscan } = await import("../exec/keyscan.ts");
  const lines = ctx.options.dryRun ? [] : await keyscan(ctx.selection.hosts, ctx.config.ssh, { cwd: ctx.cwd, env });
  const path = ".kamal/known_hosts";
  const previous = (await ctx.ex.attempt(LOCAL, cmd("cat", path), { signal: ctx.signal })).stdout.split("\n").filter(Boolean);
  const merged = [...new Set([...previous, ...lines])];
  await ctx.ex.run(LOCAL, cmd("mkdir", "-p", ".kamal"), { signal: ctx.signal });
  await ctx.ex.upload(LOCAL, { path, body: merged.length ? `${merged.join("\n")}\n` : "", mode: 0o644 }, { signal: ctx.signal });
  ctx.report.info(`Pinned ${lines.length} host keys of ${ctx.selection.hosts.length} hosts in ${path}`);
}
