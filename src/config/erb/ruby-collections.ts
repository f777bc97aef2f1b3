// Array, Hash and Enumerator methods with Ruby's meaning. A Hash is a Map (insertion-ordered, Symbol and String keys
// apart); `each_with_index`, `map` and friends without a block return an Enumerator, so `each_with_index.map` and
// `map.with_index(1)` work as in Ruby.
import { equal, int, isNil, NotTranslated, RubyError, inspect, str, toS, truthy, isNumeric, RubySymbol } from "./ruby-values.ts";

type Block = (...args: unknown[]) => Promise<unknown>;
type Method<T> = (recv: T, args: unknown[], block: Block | undefined) => unknown;

/**
 * Calls a block with one yield, as Ruby passes it: one array value is spread over several parameters; several
 * values go one per parameter (a block with one parameter gets the first, as `each_with_index.map { |x| }` does).
 */
function call(block: Block, values: unknown[]): Promise<unknown> {
  if (values.length === 1) return block(...(block.length > 1 && Array.isArray(values[0]) ? values[0] : values));
  return block(...values);
}

/** The enumerators `each_with_index`, `map`, `select`... return when called without a block. */
export class Enumerator {
  readonly method: string;
  readonly items: readonly unknown[];
  constructor(method: string, items: readonly unknown[]) {
    this.method = method;
    this.items = items;
  }

  /** What each iteration yields, as a list of values. */
  yields(): unknown[][] {
    return this.method === "each_with_index" ? this.items.map((x, i) => [x, BigInt(i)]) : this.items.map((x) => [x]);
  }

  /** Runs the enumerator's own method with `block` receiving each yield and an index from `offset`. */
  async withIndex(block: Block, offset: bigint): Promise<unknown> {
    if (this.method === "each_with_index") throw new NotTranslated("with_index on each_with_index");
    const results: unknown[] = [];
    for (const [i, x] of this.items.entries()) results.push(await block(x, BigInt(i) + offset));
    if (this.method === "map" || this.method === "collect" || this.method === "flat_map") return this.method === "flat_map" ? results.flat(1) : results;
    if (this.method === "select" || this.method === "filter" || this.method === "reject") return this.items.filter((_, i) => truthy(results[i]) === (this.method !== "reject"));
    return [...this.items];
  }

  static readonly methods: Record<string, Method<Enumerator>> = {
    with_index: (e, [offset], block) => (block ? e.withIndex(block, isNil(offset) ? 0n : BigInt(int(offset, "with_index"))) : notTranslated("with_index without a block")),
    each_with_index: (e, _args, block) => (block ? e.withIndex(block, 0n) : notTranslated("each_with_index without a block")),
    to_a: (e) => e.yields().map((v) => (v.length === 1 ? v[0] : v)),
    map: (e, _args, block) => collect(e.yields(), needBlock(block, "map"), (r) => r),
    collect: (e, _args, block) => collect(e.yields(), needBlock(block, "collect"), (r) => r),
    flat_map: (e, _args, block) => collect(e.yields(), needBlock(block, "flat_map"), (r) => r.flat(1)),
    select: (e, _args, block) => keep(e, needBlock(block, "select"), true),
    filter: (e, _args, block) => keep(e, needBlock(block, "filter"), true),
    reject: (e, _args, block) => keep(e, needBlock(block, "reject"), false),
    each: async (e, _args, block) => {
      await collect(e.yields(), needBlock(block, "each"), (r) => r);
      return [...e.items];
    },
  };
}

async function keep(e: Enumerator, block: Block, wanted: boolean): Promise<unknown[]> {
  const yields = e.yields();
  const results = await collect(yields, block, (r) => r);
  return yields.filter((_, i) => truthy(results[i]) === wanted).map((v) => (v.length === 1 ? v[0] : v));
}

async function collect(yields: unknown[][], block: Block, finish: (results: unknown[]) => unknown[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const values of yields) results.push(await call(block, values));
  return finish(results);
}

const needBlock = (block: Block | undefined, name: string): Block => block ?? notTranslated(`${name} without a block`);
const notTranslated = (what: string): never => {
  throw new NotTranslated(what);
};

/** Without a block these return an Enumerator, as in Ruby. */
function iterator(name: string, run: (items: unknown[], block: Block) => Promise<unknown>): Method<unknown[]> {
  return (a, _args, block) => (block ? run(a, block) : new Enumerator(name, a));
}

/** Array#<=> for sort, min and max: numbers with numbers, strings with strings, else ArgumentError. */
function compare(a: unknown, b: unknown): number {
  if ((isNumeric(a) && isNumeric(b)) || (typeof a === "string" && typeof b === "string")) return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new RubyError(`comparison of ${inspectClass(a)} with ${isNil(b) ? "nil" : inspect(b)} failed`, "ArgumentError");
}
const inspectClass = (v: unknown) => (isNil(v) ? "NilClass" : typeof v === "string" ? "String" : typeof v === "bigint" ? "Integer" : typeof v === "number" ? "Float" : Array.isArray(v) ? "Array" : "Object");

/** Array#flatten(depth): a nil or negative depth flattens completely. */
function flatten(a: unknown[], depth: unknown): unknown[] {
  const levels = isNil(depth) ? Infinity : int(depth, "flatten");
  return a.flat(levels < 0 ? Infinity : levels);
}

export const arrays: Record<string, Method<unknown[]>> = {
  join: (a, [sep]) => flatten(a, undefined).map(toS).join(isNil(sep) ? "" : str(sep, "join")),
  "include?": (a, [x]) => a.some((y) => equal(x, y)),
  first: (a, [n]) => (n === undefined ? a[0] ?? null : a.slice(0, int(n, "first"))),
  last: (a, [n]) => (n === undefined ? a.at(-1) ?? null : int(n, "last") === 0 ? [] : a.slice(-int(n, "last"))),
  take: (a, [n]) => a.slice(0, int(n, "take")),
  drop: (a, [n]) => a.slice(int(n, "drop")),
  length: (a) => BigInt(a.length),
  size: (a) => BigInt(a.length),
  count: (a, args, block) => (args.length > 0 || block ? notTranslated("Array#count with an argument or block") : BigInt(a.length)),
  "empty?": (a) => a.length === 0,
  "any?": async (a, args, block) => (args.length > 0 ? notTranslated("Array#any? with a pattern") : block ? (await collect(a.map((x) => [x]), block, (r) => r)).some(truthy) : a.some(truthy)),
  "all?": async (a, args, block) => (args.length > 0 ? notTranslated("Array#all? with a pattern") : block ? (await collect(a.map((x) => [x]), block, (r) => r)).every(truthy) : a.every(truthy)),
  "none?": async (a, args, block) => (args.length > 0 ? notTranslated("Array#none? with a pattern") : !(block ? (await collect(a.map((x) => [x]), block, (r) => r)).some(truthy) : a.some(truthy))),
  compact: (a) => a.filter((x) => !isNil(x)),
  uniq: (a) => a.filter((x, i) => a.findIndex((y) => equal(x, y)) === i),
  flatten: (a, [depth]) => flatten(a, depth),
  reverse: (a) => [...a].reverse(),
  sort: (a, _args, block) => (block ? notTranslated("Array#sort with a block") : [...a].sort(compare)),
  min: (a, args, block) => (args.length > 0 || block ? notTranslated("Array#min with an argument or block") : a.length === 0 ? null : [...a].sort(compare)[0]),
  max: (a, args, block) => (args.length > 0 || block ? notTranslated("Array#max with an argument or block") : a.length === 0 ? null : [...a].sort(compare).at(-1)),
  sum: (a, args, block) => args.length > 0 || block ? notTranslated("Array#sum with an argument or block") : a.reduce((acc: unknown, x) => (typeof acc === "bigint" && typeof x === "bigint" ? acc + x : isNumeric(acc) && isNumeric(x) ? Number(acc) + Number(x) : notTranslated("Array#sum of non-numbers")), 0n),
  to_a: (a) => a,
  to_h: (a, _args, block) => (block ? notTranslated("Array#to_h with a block") : new Map(a.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new RubyError(`wrong element type ${inspectClass(pair)} (expected array)`, "TypeError");
    return [pair[0], pair[1]] as [unknown, unknown];
  }))),
  each: iterator("each", async (a, block) => (await collect(a.map((x) => [x]), block, (r) => r), a)),
  each_with_index: (a, _args, block) => (block ? new Enumerator("each", a).withIndex(block, 0n) : new Enumerator("each_with_index", a)),
  map: iterator("map", (a, block) => collect(a.map((x) => [x]), block, (r) => r)),
  collect: iterator("collect", (a, block) => collect(a.map((x) => [x]), block, (r) => r)),
  flat_map: iterator("flat_map", (a, block) => collect(a.map((x) => [x]), block, (r) => r.flat(1))),
  select: iterator("select", (a, block) => keep(new Enumerator("select", a), block, true)),
  filter: iterator("filter", (a, block) => keep(new Enumerator("filter", a), block, true)),
  reject: iterator("reject", (a, block) => keep(new Enumerator("reject", a), block, false)),
  find: async (a, _args, block) => {
    const results = await collect(a.map((x) => [x]), needBlock(block, "find"), (r) => r);
    return a[results.findIndex(truthy)] ?? null;
  },
};
arrays.detect = arrays.find!;

/** Hash#each, map, select... yield [key, value], which a block with two parameters receives spread. */
const pairs = (h: Map<unknown, unknown>) => [...h].map((pair) => [pair]);

export const hashes: Record<string, Method<Map<unknown, unknown>>> = {
  fetch: async (h, [key, ...defaults], block) => {
    if (h.has(key)) return h.get(key);
    if (block) return block(key);
    if (defaults.length > 0) return defaults[0];
    throw new RubyError(`key not found: ${inspect(key)}`, "KeyError");
  },
  "key?": (h, [k]) => h.has(k),
  "has_key?": (h, [k]) => h.has(k),
  "include?": (h, [k]) => h.has(k),
  "member?": (h, [k]) => h.has(k),
  keys: (h) => [...h.keys()],
  values: (h) => [...h.values()],
  values_at: (h, keys) => keys.map((k) => h.get(k) ?? null),
  dig: (h, keys) => keys.reduce((v: unknown, k) => (v instanceof Map ? v.get(k) ?? null : isNil(v) ? null : notTranslated("Hash#dig into a non-Hash")), h),
  to_a: (h) => [...h].map(([k, v]) => [k, v]),
  to_h: (h) => h,
  length: (h) => BigInt(h.size),
  size: (h) => BigInt(h.size),
  count: (h, args, block) => (args.length > 0 || block ? notTranslated("Hash#count with an argument or block") : BigInt(h.size)),
  "empty?": (h) => h.size === 0,
  merge: (h, others, block) => (block ? notTranslated("Hash#merge with a block") : new Map([h, ...others].flatMap((o) => {
    if (!(o instanceof Map)) throw new RubyError(`no implicit conversion of ${inspectClass(o)} into Hash`, "TypeError");
    return [...o];
  }))),
  symbolize_keys: (h) => new Map([...h].map(([k, v]) => [typeof k === "string" ? RubySymbol.of(k) : k, v])),
  stringify_keys: (h) => new Map([...h].map(([k, v]) => [k instanceof RubySymbol ? k.name : k, v])),
  each: async (h, _args, block) => (await collect(pairs(h), needBlock(block, "each"), (r) => r), h),
  each_pair: async (h, _args, block) => (await collect(pairs(h), needBlock(block, "each_pair"), (r) => r), h),
  map: (h, _args, block) => collect(pairs(h), needBlock(block, "map"), (r) => r),
  collect: (h, _args, block) => collect(pairs(h), needBlock(block, "collect"), (r) => r),
  flat_map: (h, _args, block) => collect(pairs(h), needBlock(block, "flat_map"), (r) => r.flat(1)),
  select: async (h, _args, block) => new Map((await keep(new Enumerator("select", [...h]), needBlock(block, "select"), true)) as [unknown, unknown][]),
  filter: async (h, _args, block) => new Map((await keep(new Enumerator("filter", [...h]), needBlock(block, "filter"), true)) as [unknown, unknown][]),
  reject: async (h, _args, block) => new Map((await keep(new Enumerator("reject", [...h]), needBlock(block, "reject"), false)) as [unknown, unknown][]),
  "any?": async (h, args, block) => (args.length > 0 ? notTranslated("Hash#any? with a pattern") : block ? (await collect(pairs(h), block, (r) => r)).some(truthy) : h.size > 0),
};
