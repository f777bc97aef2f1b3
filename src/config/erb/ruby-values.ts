// Ruby semantics for the values an ERB template handles: nil (null/undefined), String, Integer/Float, true/false
// and Array. Only nil and false are falsy (so "" is true), `to_s` of an Array is its inspect form (which YAML reads
// back as a flow list), and methods are looked up by receiver type, raising NoMethodError like Ruby.
// ActiveSupport is loaded in Kamal, hence present?/blank?/presence.

/** An error Ruby would raise; the renderer turns it into an Issue at the tag's line. */
export class RubyError extends Error {}

type Block = (...args: unknown[]) => Promise<unknown>;

export const truthy = (v: unknown): boolean => v !== null && v !== undefined && v !== false;

export function toS(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return inspect(v);
  return String(v);
}

export function inspect(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return JSON.stringify(v).replaceAll("#{", "\\#{");
  if (Array.isArray(v)) return `[${v.map(inspect).join(", ")}]`;
  return String(v);
}

// ActiveSupport's JSON encoding escapes <, > and & so the result is safe inside HTML; kept for byte equality.
function toJson(v: unknown): string {
  return (JSON.stringify(v ?? null) ?? "null").replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
}

export function className(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return "an instance of String";
  if (typeof v === "number") return `an instance of ${Number.isInteger(v) ? "Integer" : "Float"}`;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "an instance of Array";
  return "an instance of Object";
}

export const isBlank = (v: unknown): boolean =>
  v === null || v === undefined || v === false || (typeof v === "string" && /^\s*$/.test(v)) || (Array.isArray(v) && v.length === 0);

export function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

/** String#to_i: leading whitespace, an optional sign and digits (underscores between them); anything else is 0. */
export function toI(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string") {
    const m = /^\s*([-+]?\d+(?:_\d+)*)/.exec(v);
    return m ? parseInt(m[1]!.replaceAll("_", ""), 10) : 0;
  }
  throw noMethod("to_i", v);
}

export const noMethod = (name: string, recv: unknown) => new RubyError(`undefined method '${name}' for ${className(recv)}`);

function str(v: unknown, method: string): string {
  if (typeof v !== "string") throw new RubyError(`no implicit conversion of ${className(v).replace(/^an instance of /, "")} into String (in ${method})`);
  return v;
}

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
  "any?": (a: unknown[]) => a.some(truthy),
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

export function plus(a: unknown, b: unknown): unknown {
  if (typeof a === "string") return a + str(b, "+");
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw a === null || a === undefined ? noMethod("+", a) : new RubyError(`${className(b).replace(/^an instance of /, "")} can't be coerced into ${className(a).replace(/^an instance of /, "")}`);
}

export function op(name: string, a: unknown, b: unknown): unknown {
  if (typeof a !== "number" || typeof b !== "number") {
    if (typeof a === "string" && typeof b === "string" && ["<", "<=", ">", ">="].includes(name)) return compare(name, a, b);
    if (typeof a === "string" && name === "*" && typeof b === "number") return a.repeat(b);
    throw noMethod(name, a);
  }
  switch (name) {
    case "-": return a - b;
    case "*": return a * b;
    case "/":
      if (b === 0 && Number.isInteger(a)) throw new RubyError("divided by 0");
      return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
    case "%": return ((a % b) + b) % b;
    default: return compare(name, a, b);
  }
}

function compare(name: string, a: number | string, b: number | string): boolean {
  return name === "<" ? a < b : name === "<=" ? a <= b : name === ">" ? a > b : a >= b;
}

export function index(recv: unknown, args: unknown[]): unknown {
  const [i] = args;
  if ((Array.isArray(recv) || typeof recv === "string") && typeof i === "number") {
    const item = Array.isArray(recv) ? recv.at(i) : [...recv].at(i);
    return item ?? null;
  }
  throw noMethod("[]", recv);
}

/** Kernel#Integer: strict, unlike to_i. */
export function integer(v: unknown): number {
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string" && /^\s*[-+]?(0x[0-9a-f]+|0b[01]+|0o?[0-7]+|\d+(_\d+)*)\s*$/i.test(v)) {
    const t = v.trim().replaceAll("_", "");
    const sign = t.startsWith("-") ? -1 : 1;
    const digits = t.replace(/^[-+]/, "").toLowerCase();
    if (digits.startsWith("0x")) return sign * parseInt(digits.slice(2), 16);
    if (digits.startsWith("0b")) return sign * parseInt(digits.slice(2), 2);
    if (digits.length > 1 && digits.startsWith("0")) return sign * parseInt(digits.replace(/^0o?/, ""), 8);
    return sign * parseInt(digits, 10);
  }
  throw new RubyError(`invalid value for Integer(): ${inspect(v)}`);
}
