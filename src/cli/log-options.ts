import { Option, type Command } from "commander";

/**
 * `-f` and `--merge` of `app|accessory|proxy logs`. Kamal's `-f` follows one host; sextant's follows every host
 * of `hosts` at once. `--merge` is sextant's own.
 */
export const followOrMerge = (command: Command, hosts: string): Command => command
  .option("-f, --follow", `Follow the logs of ${hosts} at once, each line prefixed with its host, until Ctrl-C`)
  .addOption(new Option("--merge", "One list of every host's lines in time order, each prefixed with its host; " +
    "docker's timestamps order them, so they are asked for even with -T (and then left out)").conflicts("follow"));
