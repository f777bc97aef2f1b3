// `sextant config migrate`: rewrites Kamal 1 configuration as Kamal 2 configuration. Each file is edited as a yaml
// Document (comments, key order and quoting stay as written) with its ERB tags masked, then printed back with the
// tags restored. Pure: the caller reads the files and writes the result.
import { isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { ConfigError } from "../../errors.ts";
import { checkKamal1, RENAMED_ROOT_KEYS, traefikLabelWarnings } from "../kamal1.ts";
import { isHash } from "../merge.ts";
import { migrateBuilder } from "./builder.ts";
import { hostCount, mapOf, pairOf, replacePair, removePair, text, type Edit, type Note } from "./document.ts";
import { maskErb } from "./erb-mask.ts";
import { nestingBeyond } from "../yaml-read.ts";
import { migrateProxy } from "./proxy.ts";
import { planSecrets, type EnvFile } from "./secrets.ts";

export type ConfigFile = {
  readonly path: string;
  readonly text: string;
  /** the destination a `deploy.DEST.yml` file is for; undefined for the main file */
  readonly destination?: string | undefined;
};

export type MigrateInput = {
  /** the main config file first, then destination files */
  readonly configs: readonly ConfigFile[];
  /** the `.env`, `.env.erb`, `.env.DEST` and `.env.DEST.erb` files that exist */
  readonly envFiles: readonly EnvFile[];
  /** the secrets files that already exist (path → text): never replaced */
  readonly existingSecrets: ReadonlyMap<string, string>;
  /** Docker's name for this machine's architecture */
  readonly localArch: string;
};

export type ChangedFile = { readonly path: string; readonly before: string | undefined; readonly after: string };
export type Migration = { readonly files: readonly ChangedFile[]; readonly notes: readonly Note[] };

type Migrated = { readonly path: string; readonly after: string; readonly data: unknown };

export function migrate(input: MigrateInput): Migration {
  const notes: Note[] = [];
  const [main, ...destinations] = input.configs;
  if (!main) return { files: [], notes };
  const mainMigrated = migrateFile(main, { notes, localArch: input.localArch });
  const migrated = [mainMigrated, ...destinations.map((file) => migrateFile(file, { notes, localArch: input.localArch, main: mainMigrated }))];
  const files: ChangedFile[] = input.configs.flatMap((file, i) => (migrated[i]!.after === file.text ? [] : [{ path: file.path, before: file.text, after: migrated[i]!.after }]));
  for (const [i, file] of input.configs.entries()) {
    // A Kamal 2 config with no .env to carry over needs no secrets file from us.
    if (input.envFiles.length === 0 && migrated[i]!.after === file.text) continue;
    const secrets = secretsFor(file.destination, input.envFiles, referencedSecrets(migrated[i]!.data, i === 0 ? undefined : mainMigrated.data), notes);
    if (!secrets) continue;
    const existing = input.existingSecrets.get(secrets.path);
    if (existing === undefined) files.push({ path: secrets.path, before: undefined, after: secrets.text });
    else {
      const defined = new Set([...existing.matchAll(/^\s*(?:export\s+)?([A-Za-z0-9_.]+)\s*=/gm)].map((match) => match[1]));
      const missing = secrets.text.split("\n").filter((line) => /^[A-Za-z0-9_.]+=/.test(line) && !defined.has(line.split("=")[0]));
      if (missing.length > 0) notes.push({ file: secrets.path, path: "", message: `already exists and is left alone; add:\n${missing.map((line) => `  ${line}`).join("\n")}` });
    }
  }
  return { files, notes };
}

// Kamal 1 configs nest a few levels deep; this keeps the recursion far from the end of the stack.
const MAX_NESTING = 200;

function migrateFile(file: ConfigFile, context: { notes: Note[]; localArch: string; main?: Migrated }): Migrated {
  const masked = maskErb(file.text);
  const lineCounter = new LineCounter();
  // parseDocument, toJS and toString each recurse once per level, on this thread's stack.
  const depthLines = new LineCounter();
  const tooDeep = nestingBeyond(masked.text, MAX_NESTING, depthLines);
  if (tooDeep !== undefined) {
    const { line, col } = depthLines.linePos(tooDeep);
    throw new ConfigError([{ file: file.path, path: "", line, column: col, message: `is nested deeper than \`sextant config migrate\` reads (${MAX_NESTING} levels)`,
      fix: "a Kamal 1 config nests a few levels deep: check the brackets and the indentation there" }]);
  }
  const doc = parseDocument(masked.text, { lineCounter, uniqueKeys: false, schema: "failsafe" });
  if (doc.errors.length > 0)
    throw new ConfigError(doc.errors.map((err) => ({ file: file.path, path: "", message: `is not valid YAML: ${err.message.split("\n")[0] ?? ""}`, fix: "fix the YAML, then run `sextant config migrate` again", ...lineCounter.linePos(err.pos[0]) })));
  const root = mapOf(doc.contents);
  if (!root) return { path: file.path, after: file.text, data: null };
  if (!isKamal1(doc.toJS(), file.path, context.main === undefined)) return { path: file.path, after: file.text, data: doc.toJS() };
  const unchanged = doc.toString(PRINT);
  const edit: Edit = {
    doc,
    file: file.path,
    note: (path, message) => context.notes.push({ file: file.path, path: masked.show(path), message: masked.show(message) }),
    show: (text) => masked.show(text),
  };
  for (const { key, renamedTo } of RENAMED_ROOT_KEYS) if (renamedTo && pairOf(root, key)) rename(edit, root, key, renamedTo);
  migrateBuilder(edit, root, { isMain: context.main === undefined, localArch: context.localArch });
  const mainData = isHash(context.main?.data) ? context.main.data : {};
  migrateProxy(edit, root, {
    isMain: context.main === undefined,
    primaryRole: text(root.get("primary_role", true)) ?? (typeof mainData.primary_role === "string" ? mainData.primary_role : "web"),
    mainProxy: (role) => {
      if (role === undefined) return mainData.proxy;
      const roles = isHash(mainData.servers) ? mainData.servers[role] : undefined;
      return isHash(roles) ? roles.proxy : undefined;
    },
    roleHosts: (role) => roleHosts(root.get("servers", true), role) ?? roleHosts(doc.createNode(mainData.servers), role),
  });
  const data: unknown = doc.toJS();
  noteLeftovers(edit, data);
  const edited = doc.toString(PRINT);
  return { path: file.path, after: edited === unchanged ? file.text : masked.unmask(edited), data };
}

// Long lines stay on one line and `[a, b]` keeps its spacing, so untouched lines print as they were written.
const PRINT = { lineWidth: 0, flowCollectionPadding: false } as const;

/** The hosts of a role; a plain list of servers is the web role. */
function roleHosts(servers: unknown, role: string): number | undefined {
  if (isSeq(servers)) return role === "web" ? servers.items.length : undefined;
  return hostCount(mapOf(servers)?.get(role, true));
}

function rename(edit: Edit, root: YAMLMap, key: string, renamedTo: string): void {
  if (pairOf(root, renamedTo)) {
    edit.note(key, `\`${renamedTo}\` is set too and wins in Kamal 2; removed`);
    removePair(root, key);
    return;
  }
  replacePair(edit.doc, root, key, renamedTo, root.get(key, true));
}

/**
 * Whether a file is Kamal 1 configuration: it has keys Kamal 2 dropped or Traefik labels, or (the main file) no
 * `builder.arch`, which Kamal 2 requires. A Kamal 2 file is left alone; in particular its app port is not 3000.
 */
function isKamal1(data: unknown, file: string, isMain: boolean): boolean {
  if (!isHash(data)) return false;
  if (kamal1Keys(data).length > 0 || traefikLabelWarnings(data, file).length > 0) return true;
  return isMain && !(isHash(data.builder) && data.builder.arch !== undefined);
}

function kamal1Keys(data: Record<string, unknown>): { path: string; message: string }[] {
  const found: { path: string; message: string }[] = [];
  checkKamal1(data, {
    add: (path, message, fix) => found.push({ path: path.join("/"), message: `${message}; ${fix ?? ""}` }),
    get count() {
      return found.length;
    },
    inFileOrder: () => [],
  });
  return found;
}

/** Kamal 1 keys no rule could carry over (an ERB tag where true or false was expected, say) are named, not dropped. */
function noteLeftovers(edit: Edit, data: unknown): void {
  if (!isHash(data)) return;
  for (const found of kamal1Keys(data)) edit.note(found.path, found.message);
}

/** The secrets file a config file needs, from `.env.DEST` over `.env` (each as written, or its `.erb` template). */
function secretsFor(destination: string | undefined, envFiles: readonly EnvFile[], referenced: string[], notes: Note[]) {
  const pick = (name: string) => envFiles.find((env) => env.path === `${name}.erb`) ?? envFiles.find((env) => env.path === name);
  const sources = [...(destination === undefined ? [] : [pick(`.env.${destination}`)]), pick(".env")].filter((env): env is EnvFile => env !== undefined);
  return planSecrets(destination === undefined ? ".kamal/secrets" : `.kamal/secrets.${destination}`, sources, referenced, notes);
}

/** Secret names the config reads: env `secret` lists (root, tags, roles, accessories), registry.password, builder.secrets. */
export function referencedSecrets(data: unknown, mainData?: unknown): string[] {
  const names: string[] = [];
  const add = (value: unknown) => {
    for (const name of Array.isArray(value) ? value : []) if (typeof name === "string" && !names.includes(name)) names.push(name);
  };
  const env = (section: unknown) => {
    if (!isHash(section)) return;
    add(section.secret);
    if (isHash(section.tags)) for (const tag of Object.values(section.tags)) if (isHash(tag)) add(tag.secret);
  };
  for (const config of [mainData, data]) {
    if (!isHash(config)) continue;
    if (isHash(config.registry)) add(config.registry.password);
    if (isHash(config.builder)) add(config.builder.secrets);
    env(config.env);
    for (const group of [config.servers, config.accessories]) if (isHash(group)) for (const item of Object.values(group)) if (isHash(item)) env(item.env);
  }
  return names.filter((name) => !/ERB_TAG_\d+_/.test(name)); // a name an ERB tag writes is not known here
}
