import { readdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { matchesPatternList } from "./host-pattern.ts";

/** The OpenSSH client settings sextant honours, for one host. */
export type HostConfig = {
  readonly hostName?: string;
  readonly user?: string;
  readonly port?: number;
  readonly identityFiles: readonly string[];
  readonly identitiesOnly?: boolean;
  /** `[user@]host[:port]`, comma-separated hops, or undefined; `none` is already dropped */
  readonly proxyJump?: string;
  readonly proxyCommand?: string;
  readonly strictHostKeyChecking?: string;
  readonly userKnownHostsFiles?: readonly string[];
  readonly globalKnownHostsFiles?: readonly string[];
  readonly hostKeyAlias?: string;
  readonly connectTimeout?: number;
};

/** One `Host` (or `Match`) block: the patterns it applies to and its options in file order. */
export type ConfigBlock = { readonly patterns: readonly string[] | "all" | "never"; readonly options: readonly Option[] };
type Option = { readonly key: string; readonly args: readonly string[] };

/**
 * The files `ssh.config` names: `true` reads OpenSSH's defaults (the user's, then the system's), `false` none,
 * and paths are relative to the app directory.
 */
export function configFilesFor(setting: boolean | readonly string[], cwd: string, home = homedir()): string[] {
  if (setting === true) return [join(home, ".ssh", "config"), "/etc/ssh/ssh_config"];
  if (setting === false) return [];
  return setting.map((file) => resolve(cwd, expandTilde(file, home)));
}

/**
 * Reads ssh_config files (missing ones are skipped) into blocks, following `Include` (relative paths resolve
 * against ~/.ssh for user files and /etc/ssh for the system file, as OpenSSH does; `*` globs in the last part).
 */
export async function loadConfigFiles(files: readonly string[], home = homedir()): Promise<ConfigBlock[]> {
  const blocks: ConfigBlock[] = [];
  for (const file of files) blocks.push(...(await loadFile(file, home, 0)));
  return blocks;
}

async function loadFile(file: string, home: string, depth: number): Promise<ConfigBlock[]> {
  const text = await readFile(expandTilde(file, home), "utf8").catch(() => undefined);
  if (text === undefined || depth > 8) return [];
  const base = file.startsWith("/etc/") ? "/etc/ssh" : join(home, ".ssh");
  const blocks: ConfigBlock[] = [];
  for (const block of parseSshConfig(text)) {
    const options: Option[] = [];
    for (const option of block.options) {
      if (option.key !== "include") {
        options.push(option);
        continue;
      }
      // options before and after the Include keep their place; an included file's top-level options take the
      // enclosing block's patterns (its own Host blocks keep theirs: sextant does not intersect patterns)
      if (options.length) blocks.push({ patterns: block.patterns, options: options.splice(0) });
      for (const included of await expandInclude(option.args, base, home))
        for (const inner of await loadFile(included, home, depth + 1))
          blocks.push(inner.patterns === "all" ? { patterns: block.patterns, options: inner.options } : inner);
    }
    blocks.push({ patterns: block.patterns, options });
  }
  return blocks;
}

async function expandInclude(args: readonly string[], base: string, home: string): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(base, expandTilde(arg, home));
    if (!path.includes("*") && !path.includes("?")) {
      files.push(path);
      continue;
    }
    const dir = dirname(path);
    const names = await readdir(dir).catch(() => [] as string[]);
    const wanted = path.slice(dir.length + 1);
    files.push(...names.filter((n) => matchesPatternList(n, [wanted])).sort().map((n) => join(dir, n)));
  }
  return files;
}

/** Splits ssh_config text into blocks. Options before the first `Host` apply to every host. */
export function parseSshConfig(text: string): ConfigBlock[] {
  const blocks: { patterns: ConfigBlock["patterns"]; options: Option[] }[] = [{ patterns: "all", options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const key = (match[1] ?? "").toLowerCase();
    const args = splitArgs(match[2] ?? "");
    if (key === "host") blocks.push({ patterns: args, options: [] });
    else if (key === "match") blocks.push({ patterns: matchPatterns(args), options: [] });
    else blocks.at(-1)?.options.push({ key, args });
  }
  return blocks;
}

/** Only `Match all` and `Match host ...` are understood; other criteria never match (sextant cannot evaluate them). */
function matchPatterns(args: readonly string[]): ConfigBlock["patterns"] {
  if (args.length === 1 && args[0]?.toLowerCase() === "all") return "all";
  if (args.length === 2 && args[0]?.toLowerCase() === "host") return (args[1] ?? "").split(",");
  return "never";
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (m[2]?.startsWith("#")) break;
    args.push(m[1] ?? m[2] ?? "");
  }
  return args;
}

/**
 * The settings for `host` (the name as written in deploy.yml): blocks are read top to bottom and, as in OpenSSH,
 * the first value obtained for a key wins, except IdentityFile, which accumulates.
 */
export function resolveHostConfig(blocks: readonly ConfigBlock[], host: string, home = homedir()): HostConfig {
  const first = new Map<string, readonly string[]>();
  const identityFiles: string[] = [];
  for (const block of blocks) {
    if (block.patterns === "never") continue;
    if (block.patterns !== "all" && !matchesPatternList(host, block.patterns)) continue;
    for (const { key, args } of block.options) {
      if (key === "identityfile") identityFiles.push(...args);
      else if (!first.has(key)) first.set(key, args);
    }
  }
  const one = (key: string) => first.get(key)?.join(" ");
  const hostName = one("hostname")?.replaceAll("%h", host);
  const port = one("port");
  const timeout = one("connecttimeout");
  const proxyJump = one("proxyjump");
  const proxyCommand = one("proxycommand");
  const files = (key: string) => first.get(key)?.filter((f) => f.toLowerCase() !== "none").map((f) => expandTilde(f, home));
  return {
    hostName,
    user: one("user"),
    port: port === undefined ? undefined : Number(port),
    identityFiles: identityFiles.map((f) => expandTilde(f, home)),
    identitiesOnly: yesNo(one("identitiesonly")),
    proxyJump: proxyJump?.toLowerCase() === "none" ? undefined : proxyJump,
    proxyCommand: proxyCommand?.toLowerCase() === "none" ? undefined : proxyCommand,
    strictHostKeyChecking: one("stricthostkeychecking")?.toLowerCase(),
    userKnownHostsFiles: files("userknownhostsfile"),
    globalKnownHostsFiles: files("globalknownhostsfile"),
    hostKeyAlias: one("hostkeyalias"),
    connectTimeout: timeout === undefined ? undefined : Number(timeout),
  };
}

function yesNo(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value.toLowerCase() === "yes" || value.toLowerCase() === "true";
}

/** `~` and `%d` stand for the home directory in ssh_config paths. */
export function expandTilde(path: string, home = homedir()): string {
  return path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path.replaceAll("%d", home);
}
