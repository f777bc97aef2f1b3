import type { Command } from "commander";
import { openBuilderHost } from "./builder-host.ts";
import type { CliDeps } from "./deps.ts";

type BuildFlags = { output?: string; cache?: boolean };

/** `build ...` (kamal-commands.md §6.4), with Kamal's options and descriptions' meaning. */
export function registerBuild(program: Command, deps: CliDeps): void {
  const group = program.command("build").description("Build application image");
  const flows = () => import("../flows/build.ts");
  const setup = () => import("../flows/builder-setup.ts");
  const output = (fallback: string) =>
    [`--output <export_type>`, "Exported type for the build result, any type `docker buildx build --output` takes", fallback] as const;
  const NO_CACHE = ["--no-cache", "Build without using Docker's build cache"] as const;

  group.command("deliver").description("Build app and push app image to registry then pull image on servers")
    .option(...NO_CACHE)
    .action(async (flags: BuildFlags, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) =>
        f.deliver(ctx, { noCache: flags.cache === false, openBuilderHost: openBuilderHost(deps, ctx) }));
    });
  group.command("push").description("Build and push app image to registry")
    .option(...output("registry"))
    .option(...NO_CACHE)
    .action(async (flags: BuildFlags, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) =>
        f.buildPush(ctx, { output: flags.output, noCache: flags.cache === false, openBuilderHost: openBuilderHost(deps, ctx) }));
    });
  group.command("pull").description("Pull app image from registry onto servers")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.buildPull(ctx));
    });
  group.command("create").description("Create a build setup")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await setup();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.createBuilder(ctx, openBuilderHost(deps, ctx)));
    });
  group.command("remove").description("Remove build setup")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await setup();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.removeBuilder(ctx));
    });
  group.command("details").description("Show build setup")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await setup();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.builderDetails(ctx));
    });
  group.command("dev").description("Build using the working directory, tag it as dirty, and build into the local image store")
    .option(...output("docker"))
    .option(...NO_CACHE)
    .action(async (flags: BuildFlags, cmd: Command) => {
      const { buildDev } = await import("../flows/build-dev.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => buildDev(ctx, { output: flags.output, noCache: flags.cache === false }));
    });
}
