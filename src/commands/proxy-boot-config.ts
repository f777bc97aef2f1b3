// The deprecated `kamal proxy boot_config` files: how kamal-proxy runs when `proxy.run` is not configured
// (kamal lib/kamal/commands/proxy.rb, configuration/proxy/boot.rb, cli/proxy.rb `boot_config`).
import { PROXY_DIRECTORY, PROXY_MINIMUM_VERSION } from "./names.ts";
import { cmd, or, render, type Shell } from "./shell.ts";
import { logMaxSizeArgs, publishArgs, runCommand } from "./proxy-run-args.ts";

export const OPTIONS_FILE = `${PROXY_DIRECTORY}/options`;
export const IMAGE_FILE = `${PROXY_DIRECTORY}/image`;
export const IMAGE_VERSION_FILE = `${PROXY_DIRECTORY}/image_version`;
export const RUN_COMMAND_FILE = `${PROXY_DIRECTORY}/run_command`;
export const DEFAULT_IMAGE = "basecamp/kamal-proxy";
export const DEFAULT_BOOT_OPTIONS = [...publishArgs(80, 443), ...logMaxSizeArgs("10m")].join(" ");

/** `cat FILE 2> /dev/null || echo "DEFAULT"` */
const readFile = (file: string, fallback = ""): Shell => or(cmd("cat", file, "2>", "/dev/null"), cmd("echo", `"${fallback}"`));

export const readBootOptions = (): Shell => readFile(OPTIONS_FILE, DEFAULT_BOOT_OPTIONS);
export const readImage = (): Shell => readFile(IMAGE_FILE, DEFAULT_IMAGE);
export const readImageVersion = (): Shell => readFile(IMAGE_VERSION_FILE, PROXY_MINIMUM_VERSION);
export const readRunCommand = (): Shell => readFile(RUN_COMMAND_FILE);

const substitute = (shell: Shell): string => `$(${render(shell)})`;

/** `echo <options> <image>:<version> <run command>` from the files, or their defaults (`boot_config get`). */
export const readBootConfig = (): Shell => {
  const image = `${substitute(readImage())}:${substitute(readImageVersion())}`;
  return cmd("echo", `${substitute(readBootOptions())} ${image} ${substitute(readRunCommand())}`);
};

export const resetBootOptions = (): Shell => cmd("rm", OPTIONS_FILE);
export const resetImage = (): Shell => cmd("rm", IMAGE_FILE);
export const resetImageVersion = (): Shell => cmd("rm", IMAGE_VERSION_FILE);
export const resetRunCommand = (): Shell => cmd("rm", RUN_COMMAND_FILE);

export type BootConfigOptions = {
  readonly publish: boolean;
  readonly bindIps?: readonly string[];
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly logMaxSize: string;
  readonly registry?: string;
  readonly repository?: string;
  readonly imageVersion?: string;
  readonly metricsPort?: number;
  readonly debug: boolean;
  /** `option=value` words, each sent as `--option=value` */
  readonly dockerOptions: readonly string[];
};

/**
 * What `boot_config set` writes: each file's body, or undefined when the setting is the default and the file
 * should be removed instead.
 */
export function bootConfigFiles(opts: BootConfigOptions): Record<"options" | "image" | "imageVersion" | "runCommand", string | undefined> {
  const options = [
    ...(opts.publish ? publishArgs(opts.httpPort, opts.httpsPort, opts.bindIps) : []),
    ...logMaxSizeArgs(opts.logMaxSize),
    ...(opts.metricsPort === undefined ? [] : [`--expose=${opts.metricsPort}`]),
    ...opts.dockerOptions.map((option) => `--${option}`),
  ].join(" ");
  const image = [opts.registry || undefined, opts.repository || "basecamp", "kamal-proxy"].filter((p) => p !== undefined).join("/");
  const runWords = runCommand(opts.debug, opts.metricsPort);
  return {
    options: options === DEFAULT_BOOT_OPTIONS ? undefined : options,
    image: image === DEFAULT_IMAGE ? undefined : image,
    imageVersion: opts.imageVersion,
    runCommand: runWords.length === 2 ? undefined : runWords.join(" "),
  };
}
