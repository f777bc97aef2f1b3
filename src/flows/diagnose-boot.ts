// After a new container failed to boot, read what the host knows about it before it is stopped: its last log
// lines always, and when it never became healthy also its state and kamal-proxy's failed checks, to name the
// cause (diagnose/unhealthy-cause.ts). One extra SSH session, read-only, only on failure.
import * as diagnose from "../commands/diagnose.ts";
import * as logs from "../commands/app-logs.ts";
import * as query from "../commands/app-query.ts";
import type { Config, Role } from "../config/model.ts";
import { containerStateOf } from "../diagnose/container-state.ts";
import { failedChecksOf } from "../diagnose/proxy-log.ts";
import { unhealthyCause, type UnhealthyCause } from "../diagnose/unhealthy-cause.ts";
import { SextantError } from "../errors.ts";
import type { ScriptStep } from "../exec/executor.ts";
import type { Context } from "./context.ts";

/** The new container never became healthy: the message is the cause, the hint its fix; the original is the cause. */
export class UnhealthyError extends SextantError {}

export type BootFailure = {
  readonly logTail: string;
  readonly cause: UnhealthyCause | undefined;
  /** the error of kamal-proxy's last failed check, word for word, for -v */
  readonly lastCheck?: string;
};

/** kamal-proxy's own failure, `target failed to become healthy within configured timeout (30s)`. */
const PROXY_UNHEALTHY = "target failed to become healthy";

/**
 * What the host says about the new container of `role`. `unhealthy`: the boot failed waiting for health (not,
 * say, in `docker run`), so the state and the proxy's checks are worth reading.
 */
export async function diagnoseBoot(ctx: Context, config: Config, host: string, role: Role, unhealthy: boolean): Promise<BootFailure> {
  const found = await ctx.ex.attempt(host, query.containerIdForVersion(config, role, config.version), { signal: ctx.signal });
  const id = found.stdout.trim();
  if (!/^[0-9a-f]{12,64}$/.test(id)) return { logTail: "", cause: undefined };
  const steps: ScriptStep[] = [
    { cmd: logs.logs(config, role, { containerId: id, lines: 20, timestamps: false }), ignoreFailure: true },
    ...(unhealthy ? [{ cmd: diagnose.containerState(id), ignoreFailure: true }] : []),
    // The proxy's checks of this container all fall within the deploy timeout that just ran out.
    ...(unhealthy && role.proxy ? [{ cmd: diagnose.failedHealthChecks(id, config.deployTimeout + 60), ignoreFailure: true }] : []),
  ];
  const [tail, state, proxyLog] = (await ctx.ex.script(host, steps, { signal: ctx.signal })).map((r) => r.stdout);
  const logTail = (tail ?? "").trim();
  if (!unhealthy) return { logTail, cause: undefined };
  const checks = failedChecksOf(proxyLog ?? "", id);
  const evidence = { checks, state: containerStateOf(state ?? ""), logTail };
  const settings = {
    appPort: role.proxy?.appPort ?? 80,
    healthcheckTimeout: role.proxy?.healthcheck.timeout ?? 5,
    deployTimeout: config.deployTimeout,
    optionsPath: `servers/${role.name}/options`,
  };
  return { logTail, cause: unhealthyCause(evidence, settings), lastCheck: checks.at(-1)?.error };
}

/** Whether `err` says the container never became healthy (kamal-proxy's deploy, or the readiness wait). */
export const isUnhealthy = (err: unknown): boolean =>
  err instanceof Error && (err.message.includes(PROXY_UNHEALTHY) || err.message.startsWith("container not ready after"));

/**
 * The error the user sees: the cause in one line with its fix, keeping `err` (the full command) and what
 * kamal-proxy last saw as its cause, for -v.
 */
export function explained(err: unknown, { cause, lastCheck }: BootFailure): unknown {
  if (cause === undefined) return err;
  const seen = lastCheck === undefined ? err : new SextantError(`kamal-proxy's last failed check: ${lastCheck}`, { cause: err });
  return new UnhealthyError(`new container never became healthy: ${cause.summary}`, { hint: cause.fix, cause: seen });
}
