// `.env` / `.env.erb` → `.kamal/secrets`. Kamal 1 loaded `.env` (and `.env.DEST` over it with -d) into ENV with the
// dotenv gem, and `kamal envify` rendered `.env.erb` into `.env` first. Kamal 2 reads the same dotenv dialect from
// `.kamal/secrets` (or `.kamal/secrets.DEST`), so `.env` lines are kept as written, `$(op read …)` included, and
// an ERB line becomes its shell equivalent: a backtick command `$(…)`, `ENV["X"]` `${X}`, `File.read` `$(cat …)`.
import type { Note } from "./document.ts";

export type EnvFile = { readonly path: string; readonly text: string };

export type SecretsPlan = {
  /** the secrets file to write, `.kamal/secrets` or `.kamal/secrets.DEST` */
  readonly path: string;
  readonly text: string;
  readonly names: readonly string[];
};

type Entry = { readonly name: string; readonly line: string | undefined; readonly literal: boolean };

/**
 * The secrets file for `target`: one line for each name the config references, taken from the first env file that
 * defines it (Kamal 1 read later files over earlier ones, so pass `.env.DEST` before `.env`), or passed through from
 * the environment (`NAME=$NAME`), where Kamal 1 would have found it.
 */
export function planSecrets(target: string, sources: readonly EnvFile[], referenced: readonly string[], notes: Note[]): SecretsPlan | undefined {
  if (referenced.length === 0) return undefined;
  const parsed = sources.map((source) => ({ source, entries: parseEnvFile(source, notes) }));
  const lines: string[] = [];
  const literals: string[] = [];
  for (const name of referenced) {
    // The first file that defines the name wins; within a file, as in dotenv, its last assignment.
    const found = parsed.map(({ entries }) => entries.filter((entry) => entry.name === name).at(-1)).find((entry) => entry !== undefined);
    if (found?.line === undefined && found !== undefined) continue; // noted when parsed
    lines.push(found?.line ?? `${name}=$${name}`);
    if (found?.literal) literals.push(name);
  }
  const first = parsed[0];
  const unused = first ? [...new Set(first.entries.map((entry) => entry.name))].filter((name) => !referenced.includes(name)) : [];
  if (first && unused.length > 0)
    notes.push({ file: first.source.path, path: "", message: `${unused.join(", ")} ${unused.length === 1 ? "is" : "are"} not referenced by the config and not copied to ${target}; Kamal 2 does not load .env, so ERB in deploy.yml that reads ${unused.length === 1 ? "it" : "them"} from ENV needs ${unused.length === 1 ? "it" : "them"} set in the environment` });
  if (literals.length > 0)
    notes.push({ file: target, path: "", message: `${literals.join(", ")} ${literals.length === 1 ? "holds a literal value" : "hold literal values"}: keep ${target} out of git (add it to .gitignore), or fetch ${literals.length === 1 ? "it" : "them"} with a password manager command` });
  const from = sources.length > 0 ? sources.map((source) => source.path).join(" and ") : "the environment";
  return { path: target, text: `# Migrated from ${from} by \`sextant config migrate\`\n${lines.join("\n")}\n`, names: referenced };
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z0-9_.]+)\s*=\s*(.*)$/;

/** The assignments of a dotenv file, each with its line(s) as Kamal 2 should read them. */
export function parseEnvFile(source: EnvFile, notes: Note[]): Entry[] {
  const isErb = source.path.endsWith(".erb");
  const lines = source.text.split("\n");
  const entries: Entry[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? "";
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      if (isErb && line.includes("<%")) notes.push({ file: source.path, path: `line ${i + 1}`, message: `${line.trim()} is ERB logic with no .kamal/secrets equivalent; left out` });
      continue;
    }
    // A quoted value may go on over several lines.
    const quote = /^["']/.exec(match[2] ?? "")?.[0];
    while (quote && !closes(line.slice(line.indexOf(quote) + 1), quote) && i + 1 < lines.length) line += `\n${lines[++i] ?? ""}`;
    const name = match[1] ?? "";
    const translated = isErb ? translateErb(line) : line;
    if (translated === undefined)
      notes.push({ file: source.path, path: `line ${i + 1}`, message: `${name}: the ERB in ${line.trim()} has no shell equivalent; write ${name}=... in .kamal/secrets by hand` });
    const value = (translated ?? "").slice((translated ?? "").indexOf("=") + 1).trim();
    entries.push({ name, line: translated, literal: translated !== undefined && !/^["']?\$/.test(value) });
  }
  return entries;
}

const closes = (rest: string, quote: string) => new RegExp(`(^|[^\\\\])${quote}`).test(rest);

/** Replaces each `<%= … %>` of a line by its shell equivalent; undefined when one has none. */
export function translateErb(line: string): string | undefined {
  let failed = false;
  const result = line.replace(/<%(=?)([\s\S]*?)-?%>/g, (_, output: string, code: string) => {
    const shell = output ? shellFor(code.trim()) : undefined;
    if (shell === undefined) failed = true;
    return shell ?? "";
  });
  return failed ? undefined : result;
}

function shellFor(code: string): string | undefined {
  const command = /^(?:`([^`]*)`|%x\((.*)\))(?:\.(?:strip|chomp|rstrip)(?:\(\))?)?$/.exec(code);
  if (command) {
    const text = command[1] ?? command[2] ?? "";
    return text.includes("#{") ? undefined : `$(${text})`;
  }
  const env = /^ENV(?:\[\s*["']([A-Za-z0-9_]+)["']\s*\]|\.fetch\(\s*["']([A-Za-z0-9_]+)["']\s*\))$/.exec(code);
  if (env) return `\${${env[1] ?? env[2]}}`;
  const file = /^File\.read\(\s*["']([^"'$`\\ ]+)["']\s*\)(?:\.(?:strip|chomp|rstrip))?$/.exec(code);
  if (file) return `$(cat ${file[1]})`;
  return undefined;
}
