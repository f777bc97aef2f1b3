// Kamal merges a destination file over the main one with ActiveSupport's Hash#deep_merge: mappings present on both
// sides merge key by key; anything else (scalars, lists, a mapping meeting a scalar) is replaced by the
// destination's value. Lists are never concatenated, so `servers/web/hosts` in deploy.staging.yml replaces the list.

import { RubyScalar } from "../ruby-scalar.ts";
import { setOwnValue } from "./own-value.ts";
import { recordRubyKeys, rubyKeysOf } from "./ruby-keys.ts";

type Hash = Record<string, unknown>;

/** A YAML mapping as parsed: a plain object (not a list, not a date, not a Float, big Integer or Symbol). */
export const isHash = (v: unknown): v is Hash =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RubyScalar);

/** Returns a new object; neither argument is modified. */
export function deepMerge(base: Hash, over: Hash): Hash {
  const merged: Hash = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    const next = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
    setOwnValue(merged, key, next);
  }
  // Hash#deep_merge keeps the base's keys in place and adds the destination's new ones after them.
  const baseKeys = rubyKeysOf(base);
  const known = new Set(baseKeys.map(([key]) => key));
  recordRubyKeys(merged, [...baseKeys, ...rubyKeysOf(over).filter(([key]) => !known.has(key))]);
  return merged;
}
