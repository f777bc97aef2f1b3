// A YamlRead as a worker thread hands it back. Structured cloning keeps plain data but not classes (RubyFloat,
// RubyBignum, RubySymbolValue), the Ruby keys recorded beside a hash or the offsets kept in a WeakMap, so values go
// as a flat table: every hash and array after the values it holds, which rebuilds in one loop, never nesting on
// the receiving thread's stack however deep the document.
import { setOwnValue } from "./own-value.ts";
import { RubyBignum, RubyFloat, RubySymbolValue } from "../ruby-scalar.ts";
import { recordRubyKeys, rubyKeysOf } from "./ruby-keys.ts";
import type { EntryOffsets, YamlRead } from "./yaml-read.ts";

/** An entry's offset, or -1 where none was recorded. */
type Offset = number;

type WireValue =
  | { readonly plain: string | number | boolean | null | Date }
  | { readonly float: number }
  | { readonly bignum: bigint }
  | { readonly symbol: string }
  | { readonly array: readonly (readonly [value: number, at: Offset])[] }
  /** Entries in the object's own order, Ruby keys in Ruby's (ruby-keys.ts); values and Ruby keys are indices. */
  | { readonly hash: readonly (readonly [key: string, value: number, at: Offset])[]; readonly rubyKeys: readonly (readonly [key: string, rubyKey: number])[] };

export type WireRead =
  | Exclude<YamlRead, { kind: "read" }>
  | (Omit<Extract<YamlRead, { kind: "read" }>, "value" | "entryOffsets"> & { readonly values: readonly WireValue[] });

/** Runs on the worker thread, whose stack is sized for the depth it reads. */
export function encodeRead(read: YamlRead): WireRead {
  if (read.kind !== "read") return read;
  const { value, entryOffsets, ...rest } = read;
  const values: WireValue[] = [];
  const add = (wire: WireValue): number => values.push(wire) - 1;
  const encode = (v: unknown): number => {
    if (v instanceof RubyFloat) return add({ float: v.value });
    if (v instanceof RubyBignum) return add({ bignum: v.value });
    if (v instanceof RubySymbolValue) return add({ symbol: v.name });
    if (Array.isArray(v)) {
      const at = entryOffsets.get(v);
      return add({ array: v.map((item, i) => [encode(item), at?.get(i) ?? -1] as const) });
    }
    if (typeof v === "object" && v !== null && !(v instanceof Date)) {
      const at = entryOffsets.get(v);
      const hash = Object.entries(v).map(([key, item]) => [key, encode(item), at?.get(key) ?? -1] as const);
      return add({ hash, rubyKeys: rubyKeysOf(v).map(([key, rubyKey]) => [key, encode(rubyKey)] as const) });
    }
    return add({ plain: v as string | number | boolean | null | Date });
  };
  encode(value);
  return { ...rest, values };
}

/** Runs on the calling thread: one loop over the table, whose last value is the document. */
export function decodeRead(wire: WireRead): YamlRead {
  if (wire.kind !== "read") return wire;
  const { values: table, ...rest } = wire;
  const entryOffsets: EntryOffsets = new WeakMap();
  const values: unknown[] = [];
  const offsets = <K>(entries: readonly (readonly [K, number])[]) => new Map(entries.filter(([, at]) => at !== -1));
  for (const wireValue of table) {
    if ("float" in wireValue) values.push(new RubyFloat(wireValue.float));
    else if ("bignum" in wireValue) values.push(new RubyBignum(wireValue.bignum));
    else if ("symbol" in wireValue) values.push(new RubySymbolValue(wireValue.symbol));
    else if ("array" in wireValue) {
      const array = wireValue.array.map(([value]) => values[value]);
      entryOffsets.set(array, offsets(wireValue.array.map(([, at], i) => [i, at] as const)));
      values.push(array);
    } else if ("hash" in wireValue) {
      const hash: Record<string, unknown> = {};
      for (const [key, value] of wireValue.hash) setOwnValue(hash, key, values[value]);
      recordRubyKeys(hash, wireValue.rubyKeys.map(([key, rubyKey]) => [key, values[rubyKey]] as const));
      entryOffsets.set(hash, offsets(wireValue.hash.map(([key, , at]) => [key, at] as const)));
      values.push(hash);
    } else values.push(wireValue.plain);
  }
  return { ...rest, value: values.at(-1) ?? null, entryOffsets };
}
