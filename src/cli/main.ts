import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

type DeployFlags = { skipPush?: boolean; cache?: boolean };

/** The top-level flows: deploy, redeploy, rollback (kamal lib/kamal/cli/main.rb). */
export function registerMain(program: Command, deps: CliDeps): void {
  program
    .command("deploy")
    .description("Deploy the app to the servers: build, push, pull, then boot with zero downtime")
    .option("-P, --skip-push", "Skip the image build and push; only pull")
    .option("--no-cache", "Build without the builder cache")
    .action(async (flags: DeployFlags, cmd: Command) => {
      const { deploy } = await import("../flows/deploy.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => deploy(ctx, { skipPush: flags.skipPush, noCache: flags.cache === false }));
    });

  program
    .command("redeploy")
    .description("Deploy without booting the proxy or pruning (faster, for an app already set up)")
    .option("-P, --skip-push", "Skip the image build and push; only pull")
    .option("--no-cache", "Build without the builder cache")
    .action(async (flags: DeployFlags, cmd: Command) => {
      const { redeploy } = await import("../flows/deploy.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => redeploy(ctx, { skipPush: flags.skipPush, noCache: flags.cache === false }));
    });

  program
    .command("rollback")
    .description("Roll back the app to VERSION, a version whose container is still on the hosts")
    .argument("<version>", "the version to roll back to (see `sextant app containers`)")
    .action(async (version: string, _flags: unknown, cmd: Command) => {
      const { rollback } = await import("../flows/rollback.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => rollback(ctx, version));
    });
}
