// Small edits on a yaml Document that keep everything around them: a replaced key stays where it was written, with
// the comment and blank line above it; a new key goes after the key it belongs with.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from "yaml";

export type Note = {
  /** the file the note is about */
  readonly file: string;
  /** Kamal's key path, `servers/web/labels` */
  readonly path: string;
  readonly message: string;
};

/** What each rule gets: the document of one file, and where to say what it could not carry over. */
export type Edit = {
  readonly doc: Document;
  readonly file: string;
  readonly note: (path: string, message: string) => void;
  /** the original ERB tags in text read from the document */
  readonly show: (text: string) => string;
};

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
}

export function mapOf(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

/** The text of a scalar (placeholders of ERB tags included), or undefined for anything else. */
export function text(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/** The entries of a mapping as key text → value node, in written order. */
export function entries(map: YAMLMap): [string, unknown][] {
  return map.items.flatMap((pair) => (isScalar(pair.key) ? [[String(pair.key.value), pair.value] as [string, unknown]] : []));
}

/**
 * A node for a new value. Documents are read with the failsafe schema (every scalar a string), so that what the
 * user wrote (`0777`, `1.0`, `yes`) is printed back unchanged; new numbers and booleans are written the same way.
 */
export function yamlNode(doc: Document, value: unknown): Node {
  const strings = (inner: unknown): unknown => {
    if (typeof inner === "number" || typeof inner === "boolean") return String(inner);
    if (Array.isArray(inner)) return inner.map(strings);
    if (inner !== null && typeof inner === "object" && !("range" in inner))
      return Object.fromEntries(Object.entries(inner).map(([key, item]) => [key, strings(item)]));
    return inner;
  };
  return doc.createNode(strings(value));
}

/** Replaces the `oldKey` entry by `newKey: value` in the same place, keeping the comment written above it. */
export function replacePair(doc: Document, map: YAMLMap, oldKey: string, newKey: string, value: unknown): void {
  const index = map.items.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === oldKey);
  const pair = doc.createPair(newKey, yamlNode(doc, value));
  const old = map.items[index];
  if (old === undefined) throw new Error(`no key ${oldKey} to replace`);
  const oldKeyNode = old.key as Node;
  const newKeyNode = pair.key as Node;
  newKeyNode.commentBefore = oldKeyNode.commentBefore;
  newKeyNode.spaceBefore = oldKeyNode.spaceBefore;
  map.items.splice(index, 1, pair);
}

/** Adds `key: value` after the first of `after` the mapping has (at the end if none), or sets it if present. */
export function insertAfter(edit: Edit, map: YAMLMap, key: string, value: unknown, after: readonly string[]): void {
  const existing = pairOf(map, key);
  if (existing) {
    existing.value = yamlNode(edit.doc, value);
    return;
  }
  const anchorIndex = after.map((name) => map.items.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === name)).find((i) => i >= 0);
  const index = anchorIndex === undefined ? map.items.length : anchorIndex + 1;
  const pair = edit.doc.createPair(key, yamlNode(edit.doc, value));
  map.items.splice(index, 0, pair);
  // `<% end %>` lines between the anchor and the next key close a block the anchor sits in or ended; the new key
  // goes after them, at the anchor's own level of ERB nesting.
  const next = map.items[index + 1]?.key;
  if (isScalar(next) && next.commentBefore) {
    const lines = next.commentBefore.split("\n");
    const closing = lines.findIndex((line) => !/^<%-?\s*end\b/.test(edit.show(line).trim()));
    const moved = closing === -1 ? lines.length : closing;
    if (moved > 0) {
      (pair.key as Node).commentBefore = lines.slice(0, moved).join("\n");
      next.commentBefore = lines.slice(moved).join("\n") || undefined;
      (pair.key as Node).spaceBefore = next.spaceBefore;
      next.spaceBefore = false;
    }
  }
}

/** Removes an entry; the comment above it moves to the entry below, which a reader still needs. */
export function removePair(map: YAMLMap, key: string): void {
  const index = map.items.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === key);
  const removed = map.items[index];
  if (removed === undefined) return;
  map.items.splice(index, 1);
  const comment = (removed.key as Node).commentBefore;
  const next = map.items[index];
  if (comment && next && isScalar(next.key)) next.key.commentBefore = next.key.commentBefore ? `${comment}\n${next.key.commentBefore}` : comment;
}

/** How many hosts a role lists (`web: [a, b]` or `web: { hosts: [a, b] }`), or undefined when it can't be told. */
export function hostCount(role: unknown): number | undefined {
  if (isSeq(role)) return role.items.length;
  if (isMap(role)) {
    const hosts = role.get("hosts", true);
    return isSeq(hosts) ? hosts.items.length : undefined;
  }
  return undefined;
}

