// Passbolt through its `passbolt` CLI (kamal lib/kamal/secrets/adapters/passbolt.rb). Names are resource names,
// optionally under folders (`folder/sub/NAME`, or `--from folder/sub`); keys are the bare resource names.
// Folders are resolved to ids first, level by level, and the resources are then listed with one filter.
import * as z from "zod";
import { type Adapter, type Fetched, type VendorShell, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { inspect, inspectList, split } from "../ruby.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const folderSchema = z.object({ id: z.string(), name: z.string(), folder_parent_id: z.string().nullish() });
type Folder = z.infer<typeof folderSchema>;
const resources = z.array(z.object({ name: z.string(), password: z.string().nullish() }));

const VERIFY = "run `passbolt verify` and check your passbolt CLI configuration";
/** A value inside a passbolt filter expression, quoted as Kamal does: shell-escaped, then Ruby-inspected. */
const quoted = (value: string): string => inspect(shellEscape(value));

export const passbolt: Adapter = {
  requiresAccount: false,
  probe: {
    command: "passbolt --version 2> /dev/null",
    missing: "Passbolt CLI is not installed",
    install: "install the Passbolt CLI: https://github.com/passbolt/go-passbolt-cli",
  },

  async login(sh) {
    const result = await sh.run("passbolt verify");
    if (result.code !== 0) throw vendorError("Failed to login to Passbolt", result, VERIFY);
    return undefined;
  },

  async fetch(sh, { names, from }) {
    const wanted = prefixed(names, from);
    if (wanted.length === 0) throw new SextantError("No secrets given to fetch", { hint: "name the Passbolt resources to fetch" });
    const folders = await resolveFolders(sh, wanted);
    const conditions = wanted.flatMap((name) => {
      const parts = split(name, "/");
      const last = parts.at(-1) ?? "";
      if (parts.length <= 1) return [`Name == ${quoted(last)}`];
      // The deepest folder along the path that was found; a resource whose folders were not found is not filtered.
      let current: Folder | undefined;
      parts.slice(0, -1).forEach((_, i) => {
        const path = parts.slice(0, i + 1).join("/");
        current = folders.find((f) => folderPath(f, folders) === path) ?? current;
      });
      return current ? [`(Name == ${quoted(last)} && FolderParentID == ${quoted(current.id)})`] : [];
    });
    const filter = conditions.length > 0 ? `--filter '${conditions.join(" || ")}'` : "";
    const folderFlags = folders.map((f) => `--folder ${shellEscape(f.id)}`).join(" ");
    const result = await sh.run(`passbolt list resources ${filter} ${folderFlags} --column name --column password --json`);
    if (result.code !== 0) throw vendorError(`Could not read ${inspectList(wanted)} from Passbolt`, result, VERIFY);
    const items = parseVendorJson(resources, result.stdout, "passbolt list resources", VERIFY);
    const found = new Set(items.map((i) => i.name));
    const missing = wanted.map((name) => split(name, "/").at(-1) ?? "").filter((name) => !found.has(name));
    if (missing.length > 0)
      throw new SextantError(`Could not find the following secrets in Passbolt: ${missing.join(", ")}`, {
        hint: "check the resource names and folders with `passbolt list resources`",
      });
    const results: Fetched = new Map();
    for (const item of items) results.set(item.name, item.password ?? null);
    return results;
  },
};

/** Every folder named in the paths, top-level ones first, then each nested level by its parent's id. */
async function resolveFolders(sh: VendorShell, names: readonly string[]): Promise<Folder[]> {
  const paths = uniquePaths(names.filter((n) => n.includes("/")).map((n) => split(n, "/").slice(0, -1)));
  if (paths.length === 0) return [];
  const tops = [...new Set(paths.map((p) => p[0] ?? ""))];
  const topFilter = `--filter '${tops.map((name) => `Name == ${quoted(name)}`).join(" || ")}'`;
  const result = await sh.run(`passbolt list folders ${topFilter} --json`);
  if (result.code !== 0) throw vendorError("Could not read folders from Passbolt", result, VERIFY);
  const topFolders = parseVendorJson(z.array(folderSchema), result.stdout, "passbolt list folders", VERIFY);
  const all = [...topFolders];
  for (const path of paths) {
    let parent = topFolders.find((f) => f.name === path[0]);
    if (path.length <= 1 || !parent) continue;
    for (const name of path.slice(1)) {
      const nested = await sh.run(`passbolt list folders --filter 'Name == ${quoted(name)} && FolderParentID == ${quoted(parent.id)}' --json`);
      // Kamal skips a level whose lookup failed and keeps looking under the same parent.
      if (nested.code !== 0) continue;
      const children: Folder[] = parseVendorJson(z.array(folderSchema), nested.stdout, "passbolt list folders", VERIFY);
      if (children.length === 0) break;
      all.push(...children);
      parent = children[0] ?? parent;
    }
  }
  const found = new Set(all.map((f) => folderPath(f, all)));
  const missing = paths.map((p) => p.join("/")).filter((p) => !found.has(p));
  if (missing.length > 0)
    throw new SextantError(`Could not find the following folders in Passbolt: ${missing.join(", ")}`, {
      hint: "check the folder names with `passbolt list folders`",
    });
  return all;
}

/** `parent/child` path of a folder, following parent ids as far as the known folders go. */
function folderPath(folder: Folder, all: readonly Folder[]): string {
  const path = [folder.name];
  for (let f = folder; f.folder_parent_id && path.length <= all.length; ) {
    const parent = all.find((p) => p.id === f.folder_parent_id);
    if (!parent) break;
    path.unshift(parent.name);
    f = parent;
  }
  return path.join("/");
}

const uniquePaths = (paths: string[][]): string[][] =>
  [...new Map(paths.map((p) => [JSON.stringify(p), p])).values()];
