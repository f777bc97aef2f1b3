// Loading pipeline (kamal-config.md §1): set KAMAL_DESTINATION → read deploy.yml and deploy.<dest>.yml → ERB per
// file → YAML (Psych semantics) → deep merge → version → secrets store → normalise and validate. Only this file
// and secrets.ts read files in src/config/. It never prints and never exits: problems are thrown as ConfigError.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { ConfigError, SextantError, type Issue } from "../errors.ts";
import { renderErb, type ShellCapture } from "./erb.ts";
import { memorySecretStore } from "./memory-secrets.ts";
import { deepMerge } from "./merge.ts";
import type { Config, SecretStore } from "./model.ts";
import { resolveConfig } from "./normalise.ts";
import { createSecretStore } from "./secrets.ts";
import { resolveVersion } from "./version.ts";
import { parseYaml, type KeyPath, type ParsedYaml } from "./yaml.ts";

type Env = Readonly<Record<string, string | undefined>>;

// execa, behind shellCapture, is slow to import, and most loads run no command but git; import it on first use.
const defaultShell: ShellCapture = async (command, opts) => (await import("../exec/local.ts")).shellCapture(command, opts);
export type Loaded = { config: Config; warnings: string[] };

export type LoadOptions = {
  /** `-c`; default `config/deploy.yml`, relative to cwd */
  readonly configFile?: string | undefined;
  /** `-d` */
  readonly destination?: string | undefined;
  /** `--version` */
  readonly version?: string | undefined;
  readonly cwd: string;
  readonly env: Env;
  /** runs ERB backticks, git and `$(...)` in secrets; default /bin/sh -c */
  readonly shell?: ShellCapture;
  /** receives warnings raised after loading returned, when the secrets files are first read */
  readonly warn?: (message: string) => void;
};

export async function loadConfig(opts: LoadOptions): Promise<Loaded> {
  const env: Env = { ...opts.env, KAMAL_DESTINATION: opts.destination };
  const shell = opts.shell ?? defaultShell;
  const main = opts.configFile ?? "config/deploy.yml";
  const files = { main, destination: opts.destination === undefined ? undefined : destinationFile(main, opts.destination) };
  const missing = [files.main, files.destination].filter((f): f is string => f !== undefined && !existsSync(resolve(opts.cwd, f)));
  if (missing.length > 0) throw new ConfigError(missing.map((file) => notFound(file, files.main, opts)));

  const render = async (file: string) => {
    const rendered = await renderErb(readFileSync(resolve(opts.cwd, file), "utf8"), { file, cwd: opts.cwd, env, shell });
    return parseYaml(rendered.text, file, { sourceLine: rendered.sourceLine });
  };
  const parsedMain = await render(files.main);
  const parsedDestination = files.destination === undefined ? undefined : await render(files.destination);
  const raw = merged(parsedMain, parsedDestination, files);

  const builder = raw.builder as Record<string, unknown> | undefined;
  let version = "";
  let versionError: SextantError | undefined;
  try {
    version = await resolveVersion({ declared: opts.version, env, cwd: opts.cwd, shell, buildsWorkingTree: builder?.context != null });
  } catch (err) {
    if (!(err instanceof SextantError)) throw err;
    versionError = err;
  }
  const secrets = createSecretStore({
    secretsPath: typeof raw.secrets_path === "string" ? raw.secrets_path : ".kamal/secrets",
    destination: opts.destination,
    cwd: opts.cwd,
    env,
    shell,
    warn: opts.warn,
  });
  const hooksPath = typeof raw.hooks_path === "string" ? raw.hooks_path : ".kamal/hooks";
  const loaded = resolve_({ raw, files, parsedMain, parsedDestination, destination: opts.destination, version, secrets, hookNames: listDir(resolve(opts.cwd, hooksPath)) });
  if (versionError) deferVersionError(loaded.config, versionError);
  return loaded;
}

export type TextOptions = {
  readonly yaml: string;
  readonly destinationYaml?: string | undefined;
  readonly destination?: string | undefined;
  readonly version: string;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly env?: Env;
  readonly cwd?: string;
  readonly shell?: ShellCapture;
};

/** The same pipeline over in-memory text: no files, no git, secrets from a record. */
export async function loadConfigFromText(opts: TextOptions): Promise<Loaded> {
  const env: Env = { ...opts.env, KAMAL_DESTINATION: opts.destination };
  const files = { main: "config/deploy.yml", destination: opts.destination === undefined ? undefined : `config/deploy.${opts.destination}.yml` };
  const erb = { cwd: opts.cwd ?? process.cwd(), env, shell: opts.shell ?? defaultShell };
  const parse = async (text: string, file: string) => {
    const rendered = await renderErb(text, { ...erb, file });
    return parseYaml(rendered.text, file, { sourceLine: rendered.sourceLine });
  };
  const parsedMain = await parse(opts.yaml, files.main);
  const parsedDestination = opts.destinationYaml === undefined || files.destination === undefined ? undefined : await parse(opts.destinationYaml, files.destination);
  const raw = merged(parsedMain, parsedDestination, files);
  return resolve_({ raw, files, parsedMain, parsedDestination, destination: opts.destination, version: opts.version, secrets: memorySecretStore(opts.secrets ?? {}) });
}

type Files = { readonly main: string; readonly destination?: string | undefined };

function resolve_(input: {
  raw: Record<string, unknown>;
  files: Files;
  parsedMain: ParsedYaml;
  parsedDestination: ParsedYaml | undefined;
  destination: string | undefined;
  version: string;
  secrets: SecretStore;
  hookNames?: string[];
}): Loaded {
  const { files, parsedMain, parsedDestination } = input;
  // A key the destination file sets is reported there; everything else in the main file.
  const locate = (path: KeyPath) => {
    const inDestination = parsedDestination?.locate(path);
    if (inDestination && files.destination) return { file: files.destination, ...inDestination };
    const inMain = parsedMain.locate(path);
    return inMain && { file: files.main, ...inMain };
  };
  const resolved = resolveConfig({
    raw: input.raw,
    files: { main: files.main, ...(files.destination === undefined ? {} : { destination: files.destination }) },
    locate,
    destination: input.destination,
    version: input.version,
    secrets: input.secrets,
    hookNames: input.hookNames ?? [],
  });
  if ("issues" in resolved) throw new ConfigError(resolved.issues);
  return { config: resolved.config, warnings: [...parsedMain.warnings, ...(parsedDestination?.warnings ?? []), ...resolved.warnings] };
}

function merged(main: ParsedYaml, destination: ParsedYaml | undefined, files: Files): Record<string, unknown> {
  const issues: Issue[] = [];
  const hash = (parsed: ParsedYaml, file: string): Record<string, unknown> => {
    if (parsed.value === null) return {};
    if (typeof parsed.value === "object" && !Array.isArray(parsed.value) && !(parsed.value instanceof Date)) return parsed.value as Record<string, unknown>;
    issues.push({ file, path: "", message: "should be a hash of settings (service:, image:, servers:, ...)", fix: "write the settings as `key: value` lines at the start of the line", line: 1, column: 1 });
    return {};
  };
  const base = hash(main, files.main);
  const over = destination && files.destination ? hash(destination, files.destination) : {};
  if (issues.length > 0) throw new ConfigError(issues);
  return deepMerge(base, over);
}

/** Pathname#sub_ext: `config/deploy.yml` + staging → `config/deploy.staging.yml`. */
export function destinationFile(main: string, destination: string): string {
  const ext = extname(main);
  return `${ext ? main.slice(0, -ext.length) : main}.${destination}.yml`;
}

function notFound(file: string, main: string, opts: LoadOptions): Issue {
  const absolute = resolve(opts.cwd, file);
  if (file === main) {
    const fix = opts.configFile ? `check the path given to -c, or run \`sextant init\`` : "run `sextant init` to create one, or pass -c PATH";
    return { file, path: "", message: `Configuration file not found in ${absolute}`, fix };
  }
  const known = availableDestinations(resolve(opts.cwd, main));
  const fix = `create ${file} or check -d ${opts.destination}` + (known.length ? ` (destinations found: ${known.join(", ")})` : "");
  return { file, path: "", message: `Configuration file not found in ${absolute}`, fix };
}

function availableDestinations(mainPath: string): string[] {
  const ext = extname(mainPath);
  const stem = basename(mainPath, ext);
  return listDir(dirname(mainPath))
    .filter((name) => name.startsWith(`${stem}.`) && name.endsWith(".yml") && name !== basename(mainPath))
    .map((name) => name.slice(stem.length + 1, -".yml".length))
    .sort();
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Only commands that build or deploy need the version, so a checkout without git (or without commits) can still
 * run `lock status` or `proxy logs`: the git failure is raised when something reads `config.version`.
 * See docs/decisions.md ("Version resolved eagerly, failure deferred").
 */
function deferVersionError(config: Config, error: SextantError): void {
  Object.defineProperty(config, "version", {
    enumerable: true,
    get() {
      throw error;
    },
  });
}

