import type { Context } from "../flows/context.ts";
import type { OpenBuilderHost } from "../flows/remote-builder.ts";
import type { CliDeps } from "./deps.ts";

/**
 * An executor for the remote builder's host, dialled with the user and port of `builder.remote` rather than the
 * servers' ssh settings; under --dry-run another Recorder, so the check shows as a planned line. Executors are
 * made in the CLI, so flows that build (build push/deliver/create, deploy, redeploy, setup) get this function.
 */
export function openBuilderHost(deps: CliDeps, ctx: Context): OpenBuilderHost {
  return async (host) => {
    const [{ createExecutor }, { builderHostConfig }] = await Promise.all([import("../exec/create.ts"), import("../flows/remote-builder.ts")]);
    const { dryRun, verbose } = ctx.options;
    // ctx.report, not deps.reporter: the builder host's commands belong in the run's log copy (output:) too.
    return createExecutor({ dryRun, verbose, config: builderHostConfig(ctx.config, host), reporter: ctx.report, cwd: ctx.cwd, env: deps.io.env });
  };
}
