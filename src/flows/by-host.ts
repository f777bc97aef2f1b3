import type { Context } from "./context.ts";

/**
 * Prints each host's output under a `<Kind> Host: <host>` header, as Kamal's puts_by_host does (`App`, `Proxy`,
 * `Accessory mysql`); `--json` gets the same outputs as data.
 */
export function printByHost(ctx: Context, kind: string, outputs: ReadonlyMap<string, string>): void {
  const text = [...outputs].map(([host, out]) => `${kind} Host: ${host}\n${out}\n`).join("\n");
  ctx.report.result(text, Object.fromEntries(outputs));
}
