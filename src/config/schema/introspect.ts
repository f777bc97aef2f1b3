// Reading our own schemas back: for the docs, and for "did you mean" hints on unknown keys.
import type { z } from "zod";
import { ownValue } from "../own-value.ts";
import { documentationOf } from "./either.ts";

export type Def = {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  values?: unknown[];
};
export const def = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

const WRAPPERS = ["optional", "prefault", "default", "nullable"];
/** optional(), prefault() and the like: they change nothing about what may be written. */
export const isWrapper = (d: Def): d is Def & { innerType: z.ZodType } => d.innerType !== undefined && WRAPPERS.includes(d.type);

/** Looks through optional/default wrappers and shape switches to the schema that says what is written. */
export function unwrap(schema: z.ZodType): z.ZodType {
  const d = def(schema);
  if (isWrapper(d)) return unwrap(d.innerType);
  const documented = documentationOf(schema);
  return documented ? unwrap(documented) : schema;
}

/** The settings hashes `schema` may hold directly (several when it is a union). */
function objectsIn(schema: z.ZodType): z.ZodType[] {
  const inner = unwrap(schema);
  const d = def(inner);
  if (d.type === "object") return [inner];
  if (d.type === "union") return (d.options ?? []).flatMap(objectsIn);
  return [];
}

/** What a key path leads to: through hashes by key, through name -> settings maps and lists by any key. */
function childrenAt(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const inner = unwrap(schema);
  const d = def(inner);
  if (d.type === "object") {
    const child = d.shape && ownValue(d.shape, String(segment));
    return child ? [child] : [];
  }
  if (d.type === "record") return d.valueType ? [d.valueType] : [];
  if (d.type === "array") return d.element ? [d.element] : [];
  if (d.type === "union") return (d.options ?? []).flatMap((option) => childrenAt(option, segment));
  return [];
}

/** The keys a hash at `path` may have, e.g. `["proxy"]` → host, hosts, app_port, ... */
export function knownKeys(root: z.ZodType, path: readonly (string | number)[]): string[] {
  const at = path.reduce<z.ZodType[]>((schemas, segment) => schemas.flatMap((schema) => childrenAt(schema, segment)), [root]);
  return [...new Set(at.flatMap(objectsIn).flatMap((object) => Object.keys(def(object).shape ?? {})))];
}
