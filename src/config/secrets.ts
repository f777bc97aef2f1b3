// The SecretStore behind `config.secrets`: Kamal's secrets files (kamal lib/kamal/secrets.rb), read lazily and
// once, each parsed on its own with the dotenv dialect (dotenv.ts). Every `$(...)` runs on the first load, even for
// keys nothing uses, exactly as in Kamal; unlike Kamal, a command that fails stops the load with a ConfigError.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, SextantError, formatIssue, type Issue } from "../errors.ts";
import type { Environment, Runner } from "../secrets/adapter.ts";
import { shellSplit } from "../secrets/shell-words.ts";
import { type CommandSite, parseDotenv } from "./dotenv.ts";
import type { SecretStore } from "./model.ts";
import { Secret } from "./secret.ts";

export type SecretStoreOptions = {
  /** `secrets_path` from deploy.yml, relative to `cwd` (default `.kamal/secrets`) */
  readonly secretsPath: string;
  readonly destination?: string | undefined;
  readonly cwd: string;
  /** what `$VAR` falls back to and what `$(...)` commands see: the process environment */
  readonly env: Environment;
  /** runs `$(...)` commands and vendor CLIs; default: `/bin/sh -c` via src/exec/local.ts */
  readonly shell?: Runner | undefined;
  /** receives warnings (file:line: KEY: message + fix), e.g. the dotenv 3.2.0 `$` quirk */
  readonly warn?: ((message: string) => void) | undefined;
};

/** A secret that config/deploy.yml (or a command) asks for is in none of the files: a config problem, exit 2. */
export class SecretNotFoundError extends SextantError {
  override readonly exitCode: number = 2;
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const candidates = [`${options.secretsPath}-common`, options.destination ? `${options.secretsPath}.${options.destination}` : options.secretsPath];
  // dotenv skips a path that is a directory, so only files count.
  const existing = () => candidates.filter((file) => statSync(resolve(options.cwd, file), { throwIfNoEntry: false })?.isFile());
  let loading: Promise<void> | undefined;
  let secrets: Map<string, Secret> | undefined;

  const loaded = (): Map<string, Secret> => {
    if (!secrets) throw new Error("SecretStore used before load()");
    return secrets;
  };

  return {
    get files() {
      return existing();
    },
    load() {
      loading ??= readAll(existing(), options).then((values) => {
        secrets = new Map([...values].map(([name, value]) => [name, new Secret(value, name)]));
      });
      return loading;
    },
    get(name) {
      const secret = loaded().get(name);
      if (secret) return secret;
      const files = existing();
      throw new SecretNotFoundError(
        files.length > 0
          ? `Secret '${name}' not found in ${files.join(", ")}`
          : `Secret '${name}' not found, no secret files (${candidates.join(", ")}) provided`,
        { hint: `add ${name}=... to ${candidates[1]} (or to ${candidates[0]} to share it between destinations)` },
      );
    },
    // Kamal's `key?` is `present?`: a secret set to an empty or blank value counts as absent.
    has(name) {
      return (loaded().get(name)?.reveal().trim() ?? "") !== "";
    },
    all() {
      return loaded();
    },
  };
}

/** Every file in order; a later file's keys override earlier ones but keep their first position. */
async function readAll(files: readonly string[], options: SecretStoreOptions): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(resolve(options.cwd, file), "utf8");
    const { values, warnings } = await parseDotenv(text, { file, env: options.env, runCommand: commandRunner(file, options) });
    for (const warning of warnings) options.warn?.(formatIssue(warning));
    for (const [name, value] of values) all.set(name, value);
  }
  return all;
}

/**
 * How a `$(...)` runs: `kamal|sextant secrets ...` in-process, anything else with /bin/sh in `cwd`. The shell
 * (execa) and the inline commands (every vault adapter) load on the first command: most secrets files have none,
 * and every command that reads the config would otherwise pay for them at startup.
 */
function commandRunner(file: string, options: SecretStoreOptions) {
  const runner: Runner = options.shell ?? (async (command, opts) => (await import("../exec/local.ts")).shellCapture(command, opts));
  return async (command: string, site: CommandSite): Promise<string> => {
    const { INLINE_COMMAND, runInline } = await import("../secrets/inline.ts");
    if (INLINE_COMMAND.test(command)) {
      try {
        return chomp(await runInline(shellSplit(command).slice(1), { runner, cwd: options.cwd, env: options.env }));
      } catch (err) {
        if (!(err instanceof SextantError)) throw err;
        throw new ConfigError([issue(file, site, `$(${site.written}): ${err.message}`, err.hint)], { cause: err });
      }
    }
    const result = await runner(command, { cwd: options.cwd, env: options.env });
    if (result.code !== 0) {
      const tail = result.stderr.trim().split("\n").slice(-3).join("\n");
      throw new ConfigError([issue(file, site, `$(${site.written}) exited ${result.code}${tail ? `: ${tail}` : ""}`,
        "run the command in a shell to see why it fails and fix it (Kamal would have used whatever it printed)")]);
    }
    return chomp(result.stdout);
  };
}

function issue(file: string, site: CommandSite, message: string, fix?: string): Issue {
  return fix === undefined ? { file, path: site.key, line: site.line, message } : { file, path: site.key, line: site.line, message, fix };
}

/** Ruby's `String#chomp`: one trailing `\n`, `\r\n` or `\r`. */
const chomp = (text: string): string => text.replace(/\r?\n$|\r$/, "");
