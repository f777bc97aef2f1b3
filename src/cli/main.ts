import type { Command } from "commander";
import type { Context } from "../flows/context.ts";
import type { DeployOptions } from "../flows/deploy.ts";
import { openBuilderHost } from "./builder-host.ts";
import { canaryPercent } from "./canary.ts";
import { confirming, type ConfirmFlags } from "./confirming.ts";
import type { CliDeps } from "./deps.ts";

type DeployFlags = { skipPush?: boolean; cache?: boolean; canary?: string };

const deployOptions = (deps: CliDeps, ctx: Context, flags: DeployFlags): DeployOptions =>
  ({ skipPush: flags.skipPush, noCache: flags.cache === false, openBuilderHost: openBuilderHost(deps, ctx) });

/** The top-level flows: setup, deploy, redeploy, rollback, details, remove (kamal lib/kamal/cli/main.rb). */
export function registerMain(program: Command, deps: CliDeps): void {
  program
    .command("setup")
    .description("Set up the servers: install Docker where missing, boot accessories, then deploy")
    .option("-P, --skip-push", "Skip the image build and push; only pull")
    .option("--no-cache", "Build without the builder cache")
    .action(async (flags: DeployFlags, cmd: Command) => {
      const { setup } = await import("../flows/main.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => setup(ctx, deployOptions(deps, ctx, flags)));
    });

  program
    .command("details")
    .description("Show details about all the containers: proxy, app and accessories")
    .action(async (_flags: unknown, cmd: Command) => {
      const { details } = await import("../flows/main.ts");
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => details(ctx));
    });

  program
    .command("remove")
    .description("Remove the proxy, app, accessories and registry session from the servers")
    .option("-y, --confirmed", "Proceed without asking for confirmation")
    .option("--yes", "Same as -y")
    .action(async (flags: ConfirmFlags, cmd: Command) => {
      await confirming(deps, cmd, flags, "This will remove all containers and images. Are you sure?", async () => {
        const { remove } = await import("../flows/main.ts");
        await deps.withContext(cmd, { needsSecrets: false }, (ctx) => remove(ctx));
      });
    });

  program
    .command("deploy")
    .description("Deploy the app to the servers: build, push, pull, then boot with zero downtime")
    .option("-P, --skip-push", "Skip the image build and push; only pull")
    .option("--no-cache", "Build without the builder cache")
    .option("--canary <percent>", "Canary: give the new version PERCENT% of kamal-rollout cookies (see `canary`)")
    .action(async (flags: DeployFlags, cmd: Command) => {
      if (flags.canary !== undefined) {
        const percent = canaryPercent(flags.canary);
        const { deployCanary } = await import("../flows/canary-deploy.ts");
        await deps.withContext(cmd, { needsSecrets: true }, (ctx) => deployCanary(ctx, percent, deployOptions(deps, ctx, flags)));
        return;
      }
      const { deploy } = await import("../flows/deploy.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => deploy(ctx, deployOptions(deps, ctx, flags)));
    });

  program
    .command("redeploy")
    .description("Deploy without booting the proxy or pruning (faster, for an app already set up)")
    .option("-P, --skip-push", "Skip the image build and push; only pull")
    .option("--no-cache", "Build without the builder cache")
    .action(async (flags: DeployFlags, cmd: Command) => {
      const { redeploy } = await import("../flows/deploy.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => redeploy(ctx, deployOptions(deps, ctx, flags)));
    });

  program
    .command("rollback")
    .description("Roll back the app to VERSION, a version whose container is still on the hosts")
    .argument("<version>", `the version to roll back to (see \`${program.name()} app containers\`)`)
    .action(async (version: string, _flags: unknown, cmd: Command) => {
      const { checkTag } = await import("../config/version.ts");
      checkTag(version, "rollback VERSION");
      const { rollback } = await import("../flows/rollback.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => rollback(ctx, version));
    });
}
