// The deploy lock: a directory on the primary host, created atomically by `mkdir` (kamal lib/kamal/commands/lock.rb).
import type { Config } from "../config/model.ts";
import { RUN_DIRECTORY } from "./names.ts";
import { and, cmd, pipe, type Shell } from "./shell.ts";

/** `.kamal/lock-SVC[-DEST]` */
export const lockDirectory = (config: Config): string =>
  `${RUN_DIRECTORY}/${["lock", config.service, config.destination].filter((part) => part !== undefined).join("-")}`;
const detailsFile = (config: Config): string => `${lockDirectory(config)}/details`;

/** What the lock records; `lockedBy` is `git config user.name` ("" when unset, "Unknown" without git). */
export type LockDetails = { readonly message: string; readonly version: string; readonly lockedBy: string; readonly at: string };

/** The three lines readers decode, e.g. `--lock-wait` looks for `Automatic deploy lock` in them. */
export const detailsText = (d: LockDetails): string =>
  `Locked by: ${d.lockedBy} at ${d.at}\nVersion: ${d.version}\nMessage: ${d.message}`;

/** Ruby's `Base64.encode64`: a newline after every 60 characters and at the end. Keeps the command ASCII. */
export function mimeBase64(text: string): string {
  const encoded = Buffer.from(text, "utf8").toString("base64");
  return (encoded.match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join("");
}

/** Fails with "cannot create directory" when someone holds the lock. */
export const acquire = (config: Config, details: LockDetails): Shell =>
  and(cmd("mkdir", lockDirectory(config)), cmd("echo", `"${mimeBase64(detailsText(details))}"`, ">", detailsFile(config)));

export const release = (config: Config): Shell =>
  and(cmd("rm", detailsFile(config)), cmd("rm", "-r", lockDirectory(config)));

/** Prints the decoded details; fails with "No such file or directory" when there is no lock. */
export const status = (config: Config): Shell =>
  and(cmd("stat", lockDirectory(config), ">", "/dev/null"), pipe(cmd("cat", detailsFile(config)), cmd("base64", "-d")));

/** Run on every selected host before acquiring: the lock lives inside `.kamal`. */
export const ensureLocksDirectory = (): Shell => cmd("mkdir", "-p", RUN_DIRECTORY);
