import type { Command } from "commander";
import { wholeNumber } from "./parse.ts";
import type { CliDeps } from "./deps.ts";


/** `prune all|images|containers` (kamal-commands.md §6.7). */
export function registerPrune(program: Command, deps: CliDeps): void {
  const prune = program.command("prune").description("Prune old application images and containers");
  const run = (what: "all" | "images" | "containers") => async (flags: { retain?: number }, cmd: Command) => {
    const { pruneHosts } = await import("../flows/prune.ts");
    await deps.withContext(cmd, { needsSecrets: false }, (ctx) => pruneHosts(ctx, what, flags.retain ?? ctx.config.retainContainers));
  };
  prune.command("all").description("Prune unused images and stopped containers").action(run("all"));
  prune.command("images").description("Prune unused images").action(run("images"));
  prune
    .command("containers")
    .description("Prune all stopped containers, except the last n (default 5)")
    .option("--retain <n>", "How many stopped containers to keep", wholeNumber)
    .action(run("containers"));
}
