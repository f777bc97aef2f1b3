// Before creating a builder on an ssh:// remote, Kamal runs `true` there over SSH, so an unreachable host fails
// early and its key is recorded before docker's own ssh needs it (kamal lib/kamal/cli/build.rb `create`,
// `connect_to_remote_host`).
import { remoteBuilderHost, type BuilderHost } from "../commands/builder-target.ts";
import { cmd } from "../commands/shell.ts";
import type { Config } from "../config/model.ts";
import type { Executor } from "../exec/executor.ts";
import type { Context } from "./context.ts";

/**
 * Opens an executor that reaches the builder host as its URL says (user, port). The CLI makes it: executors are
 * created there, and the run's executor connects with the servers' ssh settings instead.
 */
export type OpenBuilderHost = (host: BuilderHost) => Promise<Executor>;

/** Runs `true` on the remote builder's host; nothing without an ssh:// remote or a way to reach it. */
export async function reachRemoteBuilder(ctx: Context, open: OpenBuilderHost | undefined): Promise<void> {
  const target = remoteBuilderHost(ctx.config);
  if (target === undefined || open === undefined) return;
  const ex = await open(target);
  try {
    await ex.run(target.host, cmd("true"), { signal: ctx.signal });
  } finally {
    await ex.close();
  }
}

/** `config` with the builder host's user and port in place of the servers' (both count as written in deploy.yml). */
export function builderHostConfig(config: Config, host: BuilderHost): Config {
  const written = typeof config.raw.ssh === "object" && config.raw.ssh !== null ? (config.raw.ssh as Record<string, unknown>) : {};
  return {
    ...config,
    ssh: { ...config.ssh, user: host.user ?? config.ssh.user, port: host.port ?? config.ssh.port },
    raw: { ...config.raw, ssh: { ...written, ...(host.user === undefined ? {} : { user: host.user }), ...(host.port === undefined ? {} : { port: host.port }) } },
  };
}
