// Logs of several hosts as one stream (`app|accessory|proxy logs -f` and `--merge`). Kamal follows the first host
// only; sextant sends every selected host the command Kamal would send it, all at once, and the reporter labels
// each line with its host.
import type { Shell } from "../commands/shell.ts";
import { HostsFailedError, LogsNotFollowedError, SextantError } from "../errors.ts";
import type { LogSource } from "../output/reporter.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { mergeByTimestamp, withoutTimestamp, type SourceOutput } from "./log-merge.ts";

/** One container's log on one host, and the command that prints it. */
export type LogStream = { readonly source: LogSource; readonly cmd: Shell };

/**
 * Follows every stream at once until Ctrl-C, printing lines as they come. A host that cannot be reached, or whose
 * command ends in failure (no such container), gets one line saying so while the others carry on; if any did,
 * the run fails with all of them listed, even after Ctrl-C.
 */
export async function followStreams(ctx: Context, streams: readonly LogStream[]): Promise<void> {
  const follow = ctx.ex.follow?.bind(ctx.ex);
  if (!follow) throw new Error("this executor cannot follow commands on hosts");
  if (streams.length === 0) return;
  await preConnect(ctx);
  ctx.report.info(`Following logs on ${[...new Set(streams.map((s) => s.source.host))].join(", ")}...`);
  ctx.report.logSources?.(streams.map((s) => s.source));
  const failures = new Map<string, Error>();
  await Promise.all(streams.map(async ({ source, cmd }) => {
    try {
      const code = await follow(source.host, cmd, (line) => ctx.report.logLine(source, line), { signal: ctx.signal });
      if (ctx.signal.aborted) return;
      if (code !== 0) throw streamFailed(source, code);
      // A stopped container (replaced by a deploy, say) ends its log; the other hosts go on.
      if (!ctx.options.dryRun) ctx.report.info(`${of(source)}the log ended`, source.host);
    } catch (err) {
      if (ctx.signal.aborted) return;
      const error = err instanceof Error ? err : new Error(String(err));
      ctx.report.warn(`${of(source)}${error.message.replace(`[${source.host}] `, "")}`, source.host);
      if (!failures.has(source.host)) failures.set(source.host, error);
    }
  }));
  if (failures.size > 0) throw new LogsNotFollowedError(failures);
}

const of = (source: LogSource): string => (source.name === undefined ? "" : `${source.name}: `);

function streamFailed(source: LogSource, code: number): SextantError {
  const how = code === 255 ? "ended without an exit status" : `exited ${code}`;
  return new SextantError(`[${source.host}] the log command ${how}`, {
    hint: `check that the container runs there: \`sextant details -h ${source.host}\` (-v shows the command)`,
  });
}

/**
 * Reads every stream's lines and prints them as one list in time order. Commands that fail (grep found nothing,
 * no such container) print `Nothing found` for their host, as Kamal's `app logs` does; unreachable hosts fail the
 * run after the others' lines are printed. `timestamps`: keep docker's timestamps in the printed lines.
 */
export async function printMerged(ctx: Context, streams: readonly LogStream[], opts: { timestamps: boolean }): Promise<void> {
  await preConnect(ctx);
  const failures = new Map<string, Error>();
  const outputs = await Promise.all(streams.map(async ({ source, cmd }): Promise<SourceOutput[]> => {
    try {
      const result = await ctx.ex.attempt(source.host, cmd, { signal: ctx.signal });
      if (result.code === 0) return [{ source, text: result.stdout }];
      ctx.report.info(`${of(source)}Nothing found`, source.host);
    } catch (err) {
      if (!failures.has(source.host)) failures.set(source.host, err instanceof Error ? err : new Error(String(err)));
    }
    return [];
  }));
  ctx.report.logSources?.(streams.map((s) => s.source));
  for (const { source, line } of mergeByTimestamp(outputs.flat())) ctx.report.logLine(source, opts.timestamps ? line : withoutTimestamp(line));
  if (failures.size > 0) throw new HostsFailedError(failures);
}
