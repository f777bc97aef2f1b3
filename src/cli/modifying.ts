import type { Command } from "commander";
import { commandNames } from "./program.ts";

// The commands Kamal runs inside `modify` (every `modify` in kamal lib/kamal/cli/*.rb): those that change the
// servers, and whose runs `output:` keeps a log of. `app stale_containers` changes them only with --stop. `deploy
// --canary` is a deploy.
export const MODIFYING_COMMANDS: ReadonlySet<string> = new Set([
  "setup", "deploy", "redeploy", "rollback", "remove", "upgrade",
  "app boot", "app start", "app stop", "app remove", "app live", "app maintenance", "app remove_container",
  "app remove_containers", "app remove_images", "app remove_app_directories",
  "accessory boot", "accessory upload", "accessory directories", "accessory reboot", "accessory start", "accessory stop",
  "accessory restart", "accessory pull_image", "accessory remove", "accessory remove_container", "accessory remove_image",
  "accessory remove_service_directory", "accessory upgrade",
  "proxy boot", "proxy reboot", "proxy start", "proxy stop", "proxy restart", "proxy remove", "proxy remove_container",
  "proxy remove_image", "proxy remove_proxy_directory",
  "prune all", "prune images", "prune containers",
  "server bootstrap",
  // sextant's own, changing the servers as a deploy does
  "canary promote", "canary abort",
]);

/** Whether this command changes the servers, as Kamal counts it: its run gets a log copy when `output:` asks. */
export function isModifying(cmd: Command): boolean {
  const { command, subcommand } = commandNames(cmd);
  const name = subcommand === undefined ? command : `${command} ${subcommand}`;
  return MODIFYING_COMMANDS.has(name) || (name === "app stale_containers" && cmd.opts<{ stop?: boolean }>().stop === true);
}
