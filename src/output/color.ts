import { Chalk, type ChalkInstance } from "chalk";

/**
 * The one place that decides whether output is coloured. chalk's own detection ignores NO_COLOR, so we build an
 * instance ourselves: --no-color wins, then FORCE_COLOR, then "a TTY and NO_COLOR unset or empty".
 */
export function makeChalk(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
  noColor = false,
): ChalkInstance {
  if (noColor) return new Chalk({ level: 0 });
  if (env.FORCE_COLOR !== undefined) return new Chalk({ level: env.FORCE_COLOR === "0" ? 0 : 1 });
  return new Chalk({ level: stream.isTTY && !env.NO_COLOR ? 1 : 0 });
}
