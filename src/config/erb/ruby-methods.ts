// Ruby methods on template values, looked up by receiver type: the String, Integer and Array methods deploy.yml
// templates use, plus ActiveSupport's present?/blank?/presence (Kamal loads ActiveSupport). Anything else raises
// NoMethodError as Ruby would.
import { equal, inspect, isBlank, noMethod, RubyError, str, toI, toS, truthy } from "./ruby-values.ts";

type Block = (...args: unknown[]) => Promise<unknown>;

/** String#split: no separator or " " splits on runs of whitespace; trailing empty fields are dropped. */
function split(s: string, sep: unknown): string[] {
  const fields = sep === undefined || sep === null || sep === " " ? s.trim().split(/\s+/) : s.split(str(sep, "split"));
  while (fields.length > 0 && fields.at(-1) === "") fields.pop();
  return fields;
}

function chomp(s: string, suffix: unknown): string {
  if (suffix !== undefined) return s.endsWith(str(suffix, "chomp")) ? s.slice(0, s.length - (suffix as string).length) : s;
  return s.replace(/(\r\n|\n|\r)$/, "");
}

type Method = (recv: never, args: unknown[], block: Block | undefined) => unknown;

const common: Record<string, (recv: unknown, args: unknown[]) => unknown> = {
  "nil?": (r) => r === null || r === undefined,
  "present?": (r) => !isBlank(r),
  "blank?": (r) => isBlank(r),
  presence: (r) => (isBlank(r) ? null : r),
  to_s: (r) => toS(r),
  inspect: (r) => inspect(r),
  to_json: (r) => toJson(r),
  freeze: (r) => r,
  dup: (r) => r,
  "==": (r, [o]) => equal(r, o),
};

const strings: Record<string, (s: string, args: unknown[]) => unknown> = {
  to_i: (s) => toI(s),
  to_f: (s) => parseFloat(s) || 0,
  to_str: (s) => s,
  to_sym: (s) => s,
  strip: (s) => s.replace(/^[\s\0]+|[\s\0]+$/g, ""),
  lstrip: (s) => s.replace(/^\s+/, ""),
  rstrip: (s) => s.replace(/[\s\0]+$/, ""),
  chomp: (s, [suffix]) => chomp(s, suffix),
  downcase: (s) => s.toLowerCase(),
  upcase: (s) => s.toUpperCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  split: (s, [sep]) => split(s, sep),
  lines: (s) => s.split(/(?<=\n)/).filter(Boolean),
  "include?": (s, [x]) => s.includes(str(x, "include?")),
  "start_with?": (s, args) => args.some((a) => s.startsWith(str(a, "start_with?"))),
  "end_with?": (s, args) => args.some((a) => s.endsWith(str(a, "end_with?"))),
  "empty?": (s) => s.length === 0,
  length: (s) => [...s].length,
  size: (s) => [...s].length,
  gsub: (s, [from, to]) => s.replaceAll(str(from, "gsub"), str(to, "gsub")),
  sub: (s, [from, to]) => s.replace(str(from, "sub"), str(to, "sub")),
  first: (s, [n]) => [...s].slice(0, n === undefined ? 1 : toI(n)).join(""),
  last: (s, [n]) => [...s].slice(-(n === undefined ? 1 : toI(n))).join(""),
};

const numbers: Record<string, (n: number, args: unknown[]) => unknown> = {
  to_i: (n) => Math.trunc(n),
  to_f: (n) => n,
  abs: (n) => Math.abs(n),
  "zero?": (n) => n === 0,
};

const arrays: Record<string, Method> = {
  join: (a: unknown[], [sep]) => a.flat(Infinity).map(toS).join(sep === undefined || sep === null ? "" : str(sep, "join")),
  "include?": (a: unknown[], [x]) => a.some((y) => equal(x, y)),
  first: (a: unknown[], [n]) => (n === undefined ? a[0] ?? null : a.slice(0, toI(n))),
  last: (a: unknown[], [n]) => (n === undefined ? a.at(-1) ?? null : a.slice(-toI(n))),
  length: (a: unknown[]) => a.length,
  size: (a: unknown[]) => a.length,
  count: (a: unknown[]) => a.length,
  "empty?": (a: unknown[]) => a.length === 0,
  "any?": async (a: unknown[], _args, block) => (block ? (await mapBlock(a, "any?", block)).some(truthy) : a.some(truthy)),
  compact: (a: unknown[]) => a.filter((x) => x !== null && x !== undefined),
  uniq: (a: unknown[]) => a.filter((x, i) => a.findIndex((y) => equal(x, y)) === i),
  flatten: (a: unknown[]) => a.flat(Infinity),
  reverse: (a: unknown[]) => [...a].reverse(),
  sort: (a: unknown[]) => [...a].sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0)),
  to_a: (a: unknown[]) => a,
  map: async (a: unknown[], _args, block) => mapBlock(a, "map", block),
  collect: async (a: unknown[], _args, block) => mapBlock(a, "collect", block),
  select: async (a: unknown[], _args, block) => filterBlock(a, "select", block, true),
  filter: async (a: unknown[], _args, block) => filterBlock(a, "filter", block, true),
  reject: async (a: unknown[], _args, block) => filterBlock(a, "reject", block, false),
};

async function mapBlock(items: unknown[], name: string, block: Block | undefined): Promise<unknown[]> {
  if (!block) throw new RubyError(`${name} needs a block`);
  const out: unknown[] = [];
  for (const item of items) out.push(await block(...blockArgs(item, block.length)));
  return out;
}

async function filterBlock(items: unknown[], name: string, block: Block | undefined, keep: boolean): Promise<unknown[]> {
  const results = await mapBlock(items, name, block);
  return items.filter((_, i) => truthy(results[i]) === keep);
}

/** Ruby splats an array element over several block parameters: `pairs.each { |k, v| }`. */
export function blockArgs(item: unknown, arity: number): unknown[] {
  return arity > 1 && Array.isArray(item) ? item : [item];
}

export async function send(recv: unknown, name: string, args: unknown[], block: Block | undefined): Promise<unknown> {
  if (typeof recv === "string" && name in strings) return strings[name]!(recv, args);
  if (typeof recv === "number" && name in numbers) return numbers[name]!(recv, args);
  if (Array.isArray(recv) && name in arrays) return (arrays[name] as (r: unknown[], a: unknown[], b: Block | undefined) => unknown)(recv, args, block);
  if ((recv === null || recv === undefined) && (name === "to_i" || name === "to_a")) return name === "to_i" ? 0 : [];
  if (name in common) return common[name]!(recv, args);
  throw noMethod(name, recv);
}

/** The values each iteration of `recv.method do |...|` yields, already spread over `arity` parameters. */
export function iterate(recv: unknown, method: string, args: unknown[], arity: number): unknown[][] {
  if (method === "times" && typeof recv === "number") return Array.from({ length: Math.max(0, recv) }, (_, i) => [i]);
  if (method === "each_line" && typeof recv === "string") return (strings.lines!(recv, []) as string[]).map((l) => [l]);
  if (!Array.isArray(recv)) throw noMethod(method, recv);
  if (method === "each_with_index") return recv.map((item, i) => [item, i]);
  if (method === "each" && args.length === 0) return recv.map((item) => blockArgs(item, arity));
  throw noMethod(method, recv);
}


// ActiveSupport's JSON encoding escapes <, > and & so the result is safe inside HTML; kept for byte equality.
function toJson(v: unknown): string {
  return (JSON.stringify(v ?? null) ?? "null").replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
}
