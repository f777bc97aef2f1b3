// Local hooks: where they live and the environment they run with (kamal lib/kamal/commands/hook.rb, tags.rb;
// kamal-commands.md §4.1).
import type { Config } from "../config/model.ts";
import type { Secret } from "../config/secret.ts";
import { cmd, type Shell } from "./shell.ts";
import { tags, type Details, type Performed } from "./tags.ts";

/** `<hooks_path>/<name>`; sent as `/usr/bin/env <path>` by the executor, so it must be executable. */
export const hookFile = (config: Config, name: string): string => `${config.hooksPath.replace(/\/+$/, "")}/${name}`;

export const run = (config: Config, name: string): Shell => cmd(hookFile(config, name));

/**
 * `KAMAL_RECORDED_AT`, `KAMAL_PERFORMER`, `KAMAL_DESTINATION` (with -d), `KAMAL_VERSION`, `KAMAL_SERVICE_VERSION`,
 * `KAMAL_SERVICE`, then each detail as `KAMAL_<NAME>` (`hosts`, `roles`, `lock`, `command`, `subcommand`, `runtime`),
 * then every secret when `secrets` is given (pre-connect, pre-deploy and post-deploy only).
 */
export function env(config: Config, performed: Performed, details: Details = {},
  secrets?: ReadonlyMap<string, Secret>): Record<string, string | Secret> {
  const vars: Record<string, string | Secret> = Object.fromEntries(
    tags(config, performed, details).map(([key, value]) => [`KAMAL_${key.toUpperCase()}`, value]));
  for (const [name, value] of secrets ?? []) vars[name] = value;
  return vars;
}
