import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { confirm } from "./confirm.ts";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

/** `-y, --confirmed` (Kamal's) and `--yes` (what CI scripts reach for first), both on every command that asks. */
export type ConfirmFlags = { readonly confirmed?: boolean; readonly yes?: boolean };

/**
 * Kamal's `confirming`: runs `work` when -y/--yes was given or the answer is y, otherwise says Aborted (exit 0, as
 * Kamal). A dry run sends nothing, so it never asks. With no answer at all (stdin closed or at its end, as in most
 * CI runners) it stops before touching anything, exit 2: a forgotten -y must not pass as a green run.
 */
export async function confirming(deps: CliDeps, cmd: Command, flags: ConfirmFlags, question: string, work: () => Promise<void>): Promise<void> {
  if (flags.confirmed || flags.yes || readGlobals(cmd).dryRun) return work();
  const answer = await confirm(question, deps.io);
  if (answer === undefined) {
    throw new UsageError(`No answer to "${question}": stdin is not a terminal and gave no answer`, {
      hint: "pass -y (or --yes) to confirm non-interactively, or pipe the answer in (echo y | ...)",
    });
  }
  if (!answer) {
    deps.reporter.warn("Aborted");
    return;
  }
  await work();
}
