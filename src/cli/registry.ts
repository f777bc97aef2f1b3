import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import type { CliDeps } from "./deps.ts";

type Scope = { skipLocal?: boolean; skipRemote?: boolean };

/** `registry setup|remove|login|logout` (kamal-commands.md §6.8). */
export function registerRegistry(program: Command, deps: CliDeps): void {
  const group = program.command("registry").description("Log in and out of the image registry");
  const scoped = (c: Command) => c.option("-L, --skip-local", "Skip local login").option("-R, --skip-remote", "Skip remote login");
  const action = (kind: "setup" | "remove" | "login" | "logout") => async (flags: Scope, cmd: Command) => {
    const flows = await import("../flows/registry.ts");
    await deps.withContext(cmd, { needsSecrets: true }, async (ctx) => {
      if (ctx.config.registry.local && (kind === "login" || kind === "logout"))
        throw new UsageError(`Cannot use ${kind} command with a local registry`, {
          hint: `use \`${program.name()} registry ${kind === "login" ? "setup" : "remove"}\` instead`,
        });
      await (kind === "setup" || kind === "login" ? flows.setupRegistry(ctx, flags) : flows.removeRegistry(ctx, flags));
    });
  };
  scoped(group.command("setup").description("Set up the registry, or log in to it on this machine and the servers")).action(action("setup"));
  scoped(group.command("remove").description("Remove the local registry, or log out of the remote one")).action(action("remove"));
  scoped(group.command("login").description("Log in to the remote registry on this machine and the servers")).action(action("login"));
  scoped(group.command("logout").description("Log out of the remote registry on this machine and the servers")).action(action("logout"));
}
