// Files and directories an accessory mounts (kamal lib/kamal/configuration/accessory.rb `files`, `directories`,
// cli/accessory.rb `upload`, `directories`). Rendering ERB files is the flow's job; these give paths and modes.
import type { Accessory, AccessoryFile } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { volumeArgs } from "./names.ts";
import { cmd, type Shell } from "./shell.ts";

const isAbsolute = (path: string): boolean => path.startsWith("/");

/** Where a file goes on the host: the service name glued to the remote path, e.g. `app-mysql/etc/mysql/my.cnf`. */
export const fileHostPath = (accessory: Accessory, file: AccessoryFile): string => `${accessory.service}${file.remote}`;
/** Files are chmod-ed 755 unless a mode is given. */
export const fileMode = (file: AccessoryFile): string => file.mode ?? "755";

/** A directory as created on the host: relative ones live under `$PWD/<service>/`. */
export const directoryHostPath = (accessory: Accessory, dir: AccessoryFile): string =>
  isAbsolute(dir.local) ? dir.local : `$PWD/${accessory.service}/${dir.local}`;

/** `--volume` for `volumes` as written, then each file, then each directory. */
export const accessoryVolumeArgs = (accessory: Accessory): string[] => [
  ...argumentize("--volume", accessory.volumes),
  ...accessory.files.flatMap((file) => volumeArgs(fileHostPath(accessory, file), file.remote, file.options)),
  ...accessory.directories.flatMap((dir) =>
    volumeArgs(isAbsolute(dir.local) ? dir.local : `${accessory.service}/${dir.local}`, dir.remote, dir.options)),
];

const dirname = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".");

export const makeDirectory = (path: string): Shell => cmd("mkdir", "-p", path);
export const makeDirectoryFor = (file: string): Shell => makeDirectory(dirname(file));
export const chmod = (mode: string, path: string): Shell => cmd("chmod", mode, path);
export const chown = (owner: string, path: string): Shell => cmd("chown", owner, path);
