// Loading pipeline (kamal-config.md §1): set KAMAL_DESTINATION → read deploy.yml and deploy.<dest>.yml → ERB per
// file → YAML (Psych semantics) → deep merge → version → secrets store → normalise and validate. Only this file
// and secrets.ts read files in src/config/ (and ERB's own File.read). It never prints and never exits: problems
// are thrown as ConfigError.
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { ConfigError, SextantError, UsageError, type Issue } from "../errors.ts";
import type { RenderedErb, ShellCapture } from "./erb.ts";
import { memorySecretStore } from "./memory-secrets.ts";
import { deepMerge, isHash } from "./merge.ts";
import type { Config, SecretStore } from "./model.ts";
import { resolveConfig } from "./normalise.ts";
import { createSecretStore } from "./secrets.ts";
import { readTextFile } from "./text-file.ts";
import { InvalidVersionError, resolveVersion } from "./version.ts";
import { parseYaml, type KeyPath, type ParsedYaml } from "./yaml.ts";

type Env = Readonly<Record<string, string | undefined>>;
export type Loaded = {
  config: Config;
  warnings: string[];
  /** the environment after ERB (with KAMAL_DESTINATION and anything `Dotenv.load` added): what hooks should see */
  env: Env;
};

// execa, behind shellCapture, is slow to import, and most loads run no command but git; import it on first use.
const defaultShell: ShellCapture = async (command, opts) => (await import("../exec/local.ts")).shellCapture(command, opts);

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
  const startEnv: Env = { ...opts.env, KAMAL_DESTINATION: opts.destination };
  const shell = opts.shell ?? defaultShell;
  if (opts.destination !== undefined) checkDestination(opts.destination);
  if (opts.configFile === "") throw new UsageError("--config-file was given an empty path", { hint: "pass -c config/deploy.yml, or leave -c out for that default" });
  const main = opts.configFile ?? "config/deploy.yml";
  const files = [main, ...(opts.destination === undefined ? [] : [destinationFile(main, opts.destination)])];
  const missing = files.filter((file) => !existsSync(resolve(opts.cwd, file)));
  if (missing.length > 0) throw new ConfigError(missing.map((file) => notFound(file, main, opts)));

  const [mainSource, destinationSource] = files.map((file) => ({ file, text: readTextFile(resolve(opts.cwd, file), file) }));
  const parsed = await parseSources(mainSource!, destinationSource, { cwd: opts.cwd, env: startEnv, shell });
  // As in Kamal, variables a template loaded with Dotenv.load count for VERSION, git and the secrets files.
  const env = parsed.env;
  const builder = parsed.raw.builder as Record<string, unknown> | undefined;
  const version = await resolveVersion({ declared: opts.version, env, cwd: opts.cwd, shell, buildsWorkingTree: builder?.context != null })
    .catch((err: unknown) => {
      // Only a missing git version waits for a command that needs it; a malformed one is refused before anything runs.
      if (err instanceof SextantError && !(err instanceof InvalidVersionError)) return err;
      throw err;
    });
  const secrets = createSecretStore({ secretsPath: setting(parsed.raw.secrets_path, ".kamal/secrets"), destination: opts.destination, cwd: opts.cwd, env, shell, warn: opts.warn });
  const hookNames = listDir(resolve(opts.cwd, setting(parsed.raw.hooks_path, ".kamal/hooks")));
  const loaded = normalise(parsed, { destination: opts.destination, version: typeof version === "string" ? version : "", secrets, hookNames });
  if (version instanceof SextantError) deferVersionError(loaded.config, version);
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

/** The same pipeline over in-memory text (named config/deploy[.DEST].yml in messages): no git, secrets from a record. */
export async function loadConfigFromText(opts: TextOptions): Promise<Loaded> {
  const env: Env = { ...opts.env, KAMAL_DESTINATION: opts.destination };
  const destination = opts.destination !== undefined && opts.destinationYaml !== undefined
    ? { file: destinationFile("config/deploy.yml", opts.destination), text: opts.destinationYaml }
    : undefined;
  const parsed = await parseSources({ file: "config/deploy.yml", text: opts.yaml }, destination, { cwd: opts.cwd ?? process.cwd(), env, shell: opts.shell ?? defaultShell });
  return normalise(parsed, { destination: opts.destination, version: opts.version, secrets: memorySecretStore(opts.secrets ?? {}), hookNames: [] });
}

type Source = { readonly file: string; readonly text: string };
type Parsed = {
  readonly raw: Record<string, unknown>;
  readonly sources: readonly { file: string; yaml: ParsedYaml }[];
  /** the environment after ERB, which `Dotenv.load` in a template may have added to */
  readonly env: Env;
  /** from ERB: commands that failed (Ruby carries on), a file rendered by Ruby itself */
  readonly erbWarnings: readonly string[];
};

/** ERB then YAML for each file, in order (main, then destination), and the destination merged over the main file. */
async function parseSources(main: Source, destination: Source | undefined, erb: { cwd: string; env: Env; shell: ShellCapture }): Promise<Parsed> {
  const sources: { file: string; yaml: ParsedYaml }[] = [];
  const erbWarnings: string[] = [];
  let env = erb.env;
  for (const { file, text } of destination ? [main, destination] : [main]) {
    const rendered = await render(text, { ...erb, env, file });
    env = rendered.env;
    erbWarnings.push(...rendered.warnings);
    sources.push({ file, yaml: parseYaml(rendered.text, file, rendered) });
  }
  const issues: Issue[] = [];
  const hashes = sources.map(({ file, yaml }) => {
    if (yaml.value === null) return {};
    if (isHash(yaml.value)) return yaml.value;
    issues.push({ file, path: "", message: "should be a hash of settings (service:, image:, servers:, ...)", fix: "write the settings as `key: value` lines at the start of the line", line: 1, column: 1 });
    return {};
  });
  if (issues.length > 0) throw new ConfigError(issues, { warnings: erbWarnings });
  return { raw: hashes.reduce(deepMerge, {}), sources, env, erbWarnings };
}

/** ERB, loaded only for a file that has a tag: most deploy.yml files have none, and the engine is ~45 KB to parse. */
async function render(text: string, options: { cwd: string; env: Env; shell: ShellCapture; file: string }): Promise<RenderedErb> {
  if (!text.includes("<%")) return { text, sourceLine: (line) => line, outputTag: () => undefined, env: options.env, warnings: [] };
  const { renderErb } = await import("./erb.ts");
  return renderErb(text, options);
}

function normalise(parsed: Parsed, input: { destination: string | undefined; version: string; secrets: SecretStore; hookNames: string[] }): Loaded {
  const [main, destination] = parsed.sources as [{ file: string; yaml: ParsedYaml }, { file: string; yaml: ParsedYaml } | undefined];
  // A key the destination file sets is reported there; everything else in the main file.
  const locate = (path: KeyPath) => {
    for (const source of destination ? [destination, main] : [main]) {
      const position = source.yaml.locate(path);
      if (position) return { file: source.file, ...position };
    }
    return undefined;
  };
  const resolved = resolveConfig({
    raw: parsed.raw,
    files: { main: main.file, ...(destination ? { destination: destination.file } : {}) },
    locate,
    ...input,
  });
  const loadWarnings = [...parsed.erbWarnings, ...parsed.sources.flatMap((s) => s.yaml.warnings)];
  // A refused config still shows what ERB warned about: a failed command is often why a value is missing.
  if ("issues" in resolved) throw new ConfigError(resolved.issues, { warnings: loadWarnings });
  return { config: resolved.config, warnings: [...loadWarnings, ...resolved.warnings], env: parsed.env };
}

const setting = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);

/**
 * A destination names a file next to deploy.yml and goes into host paths (`.kamal/lock-app-DEST`) and commands, so
 * it must be a plain name. Kamal finds no file for `-d ../../x` (Ruby needs a `deploy..` directory to walk out of);
 * Node's path.resolve would walk out to config/x.yml.
 */
function checkDestination(destination: string): void {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(destination)) return;
  throw new UsageError(`Invalid destination ${JSON.stringify(destination)}: a destination is a plain name`, {
    hint: "use letters, digits, `_`, `-` and `.` (not first), the part between the dots of config/deploy.DESTINATION.yml",
  });
}

/** Pathname#sub_ext: `config/deploy.yml` + staging → `config/deploy.staging.yml`. */
export function destinationFile(main: string, destination: string): string {
  const ext = extname(main);
  return `${ext ? main.slice(0, -ext.length) : main}.${destination}.yml`;
}

function notFound(file: string, main: string, opts: LoadOptions): Issue {
  const message = `Configuration file not found in ${resolve(opts.cwd, file)}`;
  if (file === main) {
    const fix = opts.configFile ? "check the path given to -c, or run `sextant init`" : "run `sextant init` to create one, or pass -c PATH";
    return { file, path: "", message, fix };
  }
  const known = availableDestinations(resolve(opts.cwd, main));
  return { file, path: "", message, fix: `create ${file} or check -d ${opts.destination}${known.length ? ` (destinations found: ${known.join(", ")})` : ""}` };
}

function availableDestinations(mainPath: string): string[] {
  const stem = basename(mainPath, extname(mainPath));
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
