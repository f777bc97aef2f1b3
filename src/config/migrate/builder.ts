// `builder:` → Kamal 2's `arch`/`remote`/`local`. Kamal 1 picked a builder from `multiarch` (default true) and the
// `local`/`remote` hashes (lib/kamal/commands/builder.rb at v1.9.3):
//   multiarch false               → `docker build` on this machine, for this machine's arch (hashes ignored)
//   neither hash                  → buildx for linux/amd64,linux/arm64 (or `local.arch` alone when it is set)
//   `remote` only                 → everything built on the remote host, for `remote.arch`
//   `local` and `remote`          → `local.arch` here and `remote.arch` on the remote host
// Kamal 2 requires `arch`, builds the local arch here and the others on `remote`, and `local: false` sends all there.
import { isMap, type YAMLMap } from "yaml";
import { entries, insertAfter, mapOf, removePair, replacePair, text, yamlNode, type Edit } from "./document.ts";

export type BuilderOptions = {
  /** the main deploy.yml (which must end up with `arch`), not a destination file */
  readonly isMain: boolean;
  /** the architecture of this machine, as Docker names it: what a Kamal 1 `multiarch: false` build produced */
  readonly localArch: string;
};

const KAMAL1_ARCHES = ["amd64", "arm64"];
const DEFAULT_ARCHES_NOTE = "Kamal 1 built for amd64 and arm64 by default, so both are listed; keep only your servers' arch for faster builds";

export function migrateBuilder(edit: Edit, root: YAMLMap, options: BuilderOptions): void {
  const builder = mapOf(root.get("builder", true));
  if (!builder) {
    if (!options.isMain) return;
    insertAfter(edit, root, "builder", { arch: KAMAL1_ARCHES }, ["registry", "servers"]);
    edit.note("builder", DEFAULT_ARCHES_NOTE);
    return;
  }
  const values = new Map(entries(builder));
  const multiarch = text(values.get("multiarch")) !== "false";
  const local = mapOf(values.get("local"));
  const remote = mapOf(values.get("remote"));
  const kamal1Keys = ["multiarch", "local", "remote"].filter((key) => key === "multiarch" ? values.has(key) : isMap(values.get(key)));
  if (kamal1Keys.length === 0) {
    if (!options.isMain || values.has("arch")) return;
    builder.items.unshift(edit.doc.createPair("arch", yamlNode(edit.doc, KAMAL1_ARCHES)));
    edit.note("builder", DEFAULT_ARCHES_NOTE);
    return;
  }
  const localArch = text(local?.get("arch", true));
  const remoteArch = text(remote?.get("arch", true));
  const remoteHost = text(remote?.get("host", true));
  let settings: { arch: string | string[]; remote?: string; local?: false };
  if (!multiarch) {
    settings = { arch: options.localArch };
    if (local || remote) edit.note("builder", "Kamal 1 ignored local/remote with `multiarch: false` and built here; removed");
  } else if (remote && local) {
    settings = { arch: [localArch ?? options.localArch, remoteArch ?? "amd64"], ...(remoteHost ? { remote: remoteHost } : {}) };
  } else if (remote) {
    settings = { arch: remoteArch ?? "amd64", ...(remoteHost ? { remote: remoteHost } : {}), local: false };
  } else {
    settings = { arch: localArch ?? KAMAL1_ARCHES };
  }
  const localHost = text(local?.get("host", true));
  if (multiarch && localHost !== undefined)
    edit.note("builder/local/host", `Kamal 2 builds with the local Docker; set DOCKER_HOST=${localHost} when you run sextant if you need that daemon`);
  const [first, ...rest] = kamal1Keys;
  if (first === undefined) return;
  replacePair(edit.doc, builder, first, "arch", settings.arch);
  for (const key of rest) removePair(builder, key);
  if (settings.remote !== undefined) insertAfter(edit, builder, "remote", settings.remote, ["arch"]);
  if (settings.local === false) insertAfter(edit, builder, "local", false, ["remote", "arch"]);
}
