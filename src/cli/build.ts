import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

type PushFlags = { output?: string; cache?: boolean };

/** `build ...` (kamal-commands.md §6.4). */
export function registerBuild(program: Command, deps: CliDeps): void {
  const group = program.command("build").description("Build the application image");
  const flows = () => import("../flows/build-commands.ts");

  group.command("deliver").description("Build the app image, push it, then pull it on the servers")
    .option("--no-cache", "Build without the builder cache")
    .action(async (flags: PushFlags, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.deliver(ctx, { noCache: flags.cache === false }));
    });
  group.command("push").description("Build the app image and push it to the registry")
    .option("--output <type>", "Where to send the image (registry, docker, ...)", "registry")
    .option("--no-cache", "Build without the builder cache")
    .action(async (flags: PushFlags, cmd: Command) => {
      const { buildPush } = await import("../flows/build.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => buildPush(ctx, { output: flags.output, noCache: flags.cache === false }));
    });
  group.command("pull").description("Pull the app image from the registry onto the servers")
    .action(async (_flags: unknown, cmd: Command) => {
      const { buildPull } = await import("../flows/build.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => buildPull(ctx));
    });
  group.command("create").description("Create the buildx builder")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.createBuilder(ctx));
    });
  group.command("remove").description("Remove the buildx builder")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.removeBuilder(ctx));
    });
  group.command("details").description("Show details about the builder")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.builderDetails(ctx));
    });
}
