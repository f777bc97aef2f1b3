// Host-level directories (kamal lib/kamal/commands/server.rb).
import type { Config } from "../config/model.ts";
import { appDirectory, appsDirectory, RUN_DIRECTORY } from "./names.ts";
import { cmd, pipe, type Shell } from "./shell.ts";

export const ensureRunDirectory = (): Shell => cmd("mkdir", "-p", RUN_DIRECTORY);
/** `.kamal/apps/SVC[-DEST]`; its absence tells `proxy remove` the app is gone. */
export const removeAppDirectory = (config: Config): Shell => cmd("rm", "-r", appDirectory(config));
/** How many apps are installed on the host; `proxy remove` keeps the proxy while any remain. */
export const appDirectoryCount = (): Shell => pipe(cmd("ls", appsDirectory()), cmd("wc", "-l"));
