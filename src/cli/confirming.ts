import { confirm } from "./confirm.ts";
import type { CliDeps } from "./deps.ts";

/** Kamal's `confirming`: runs `work` when -y was given or the user answers y, otherwise says Aborted. */
export async function confirming(deps: CliDeps, confirmed: boolean | undefined, question: string, work: () => Promise<void>): Promise<void> {
  if (!confirmed && !(await confirm(question))) {
    deps.reporter.warn("Aborted");
    return;
  }
  await work();
}
