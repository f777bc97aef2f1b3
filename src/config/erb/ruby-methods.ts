// Ruby methods on template values, looked up by receiver type: the String, Integer, Float, Array, Hash and
// Enumerator methods deploy.yml templates use, plus ActiveSupport's present?/blank?/presence (Kamal loads
// ActiveSupport). A method sextant has no copy of raises NotTranslated (the template is refused or rendered by Ruby);
// only on nil, whose methods are few and known, is it Ruby's NoMethodError.
import { checkSize } from "./budget.ts";
import { Enumerator, arrays, hashes } from "./ruby-collections.ts";
import { strings } from "./ruby-strings.ts";
import { floatToS } from "../../ruby-scalar.ts";
import { className, equal, inspect, isBlank, isNil, noMethod, NotTranslated, RubyError, RubySymbol, toF, toI, toS } from "./ruby-values.ts";

export type Block = (...args: unknown[]) => Promise<unknown>;

const common: Record<string, (recv: unknown, args: unknown[]) => unknown> = {
  "nil?": (r) => isNil(r),
  "present?": (r) => !isBlank(r),
  "blank?": (r) => isBlank(r),
  presence: (r) => (isBlank(r) ? null : r),
  to_s: (r) => toS(r),
  inspect: (r) => inspect(r),
  to_json: (r) => toJson(r),
  freeze: (r) => r,
  dup: (r) => r,
  itself: (r) => r,
  "==": (r, [o]) => equal(r, o),
  "!=": (r, [o]) => !equal(r, o),
};

const nils: Record<string, () => unknown> = { to_i: () => 0n, to_f: () => 0, to_a: () => [], to_h: () => new Map() };

const numbers: Record<string, (n: bigint | number, args: unknown[]) => unknown> = {
  to_i: (n) => toI(n),
  to_f: (n) => toF(n),
  abs: (n) => (n < 0 ? -n : n),
  "zero?": (n) => Number(n) === 0,
  "positive?": (n) => Number(n) > 0,
  "negative?": (n) => Number(n) < 0,
  "even?": (n) => (typeof n === "bigint" ? n % 2n === 0n : noMethodThrow("even?", n)),
  "odd?": (n) => (typeof n === "bigint" ? n % 2n !== 0n : noMethodThrow("odd?", n)),
  round: (n, args) => (args.length > 0 ? notTranslated("Float#round with digits") : typeof n === "bigint" ? n : toI(Math.sign(n) * Math.round(Math.abs(n)))),
  floor: (n, args) => (args.length > 0 ? notTranslated("Float#floor with digits") : typeof n === "bigint" ? n : toI(Math.floor(n))),
  ceil: (n, args) => (args.length > 0 ? notTranslated("Float#ceil with digits") : typeof n === "bigint" ? n : toI(Math.ceil(n))),
  times: (n) => (typeof n === "bigint" ? new Enumerator("each", Array.from({ length: checkSize(n, `${n}.times`) }, (_, i) => BigInt(i))) : noMethodThrow("times", n)),
};

const errors: Record<string, (e: RubyError) => unknown> = { message: (e) => e.message, full_message: (e) => `${e.message} (${e.rubyClass})` };

export async function send(recv: unknown, name: string, args: unknown[], block: Block | undefined): Promise<unknown> {
  if (typeof recv === "string" && Object.hasOwn(strings, name)) return strings[name]!(recv, args, block);
  if ((typeof recv === "bigint" || typeof recv === "number") && Object.hasOwn(numbers, name)) return numbers[name]!(recv, args);
  if (Array.isArray(recv) && Object.hasOwn(arrays, name)) return arrays[name]!(recv, args, block);
  if (recv instanceof Map && Object.hasOwn(hashes, name)) return hashes[name]!(recv, args, block);
  if (recv instanceof Enumerator && Object.hasOwn(Enumerator.methods, name)) return Enumerator.methods[name]!(recv, args, block);
  if (recv instanceof RubySymbol && (name === "to_sym" || name === "to_proc")) return recv;
  if (recv instanceof RubyError && Object.hasOwn(errors, name)) return errors[name]!(recv);
  if (isNil(recv) && Object.hasOwn(nils, name)) return nils[name]!();
  if (Object.hasOwn(common, name)) return common[name]!(recv, args);
  // NilClass, TrueClass and FalseClass have little beyond Object's methods, so an unknown name is Ruby's NoMethodError.
  if ((isNil(recv) || typeof recv === "boolean") && !OBJECT_METHODS.has(name)) throw noMethod(name, recv);
  throw new NotTranslated(`${className(recv)}#${name}`);
}

/** The values each iteration of `recv.method do |...|` yields, already spread over `arity` parameters. */
export function iterate(recv: unknown, method: string, args: unknown[], arity: number): unknown[][] {
  if (method === "times" && typeof recv === "bigint") return Array.from({ length: checkSize(recv, `${recv}.times`) }, (_, i) => [BigInt(i)]);
  if (method === "each_line" && typeof recv === "string") return (strings.lines!(recv, [], undefined) as string[]).map((l) => [l]);
  if (args.length > 0) throw new NotTranslated(`${className(recv)}#${method} with arguments`);
  const items = recv instanceof Map ? [...recv] : recv instanceof Enumerator ? recv.yields() : Array.isArray(recv) ? recv : undefined;
  if (items === undefined) throw isNil(recv) ? noMethod(method, recv) : new NotTranslated(`${className(recv)}#${method}`);
  if (method === "each_with_index") return items.map((item, i) => [item, BigInt(i)]);
  if (method === "each" || (method === "each_pair" && recv instanceof Map)) return items.map((item) => blockArgs(item, arity));
  throw new NotTranslated(`${className(recv)}#${method}`);
}

/** Ruby splats an array element over several block parameters: `pairs.each { |k, v| }`. */
export function blockArgs(item: unknown, arity: number): unknown[] {
  return arity > 1 && Array.isArray(item) ? item : [item];
}

const noMethodThrow = (name: string, recv: unknown): never => {
  throw noMethod(name, recv);
};
const notTranslated = (what: string): never => {
  throw new NotTranslated(what);
};

// Object's public methods in Ruby 3.1 that nil, true and false also answer (so not a NoMethodError).
const OBJECT_METHODS = new Set(["class", "frozen?", "is_a?", "kind_of?", "instance_of?", "respond_to?", "then", "yield_self", "tap",
  "send", "public_send", "method", "methods", "hash", "object_id", "equal?", "eql?", "===", "=~", "!~", "<=>", "&", "|", "^",
  "to_c", "to_r", "rationalize", "display", "extend", "instance_variables", "instance_variable_get", "singleton_class", "clone",
  "to_enum", "enum_for", "define_singleton_method", "public_method", "singleton_methods", "instance_variable_set", "as_json",
  "to_param", "to_query", "try", "try!", "in?", "presence_in", "deep_dup", "duplicable?", "instance_values", "html_safe?", "acts_like?", "to_yaml"]);

// ActiveSupport's JSON encoding escapes <, > and & so the result is safe inside HTML; kept for byte equality.
function toJson(v: unknown): string {
  return json(v).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
}

function json(v: unknown): string {
  if (isNil(v)) return "null";
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (typeof v === "bigint") return String(v);
  if (typeof v === "number") return Number.isFinite(v) ? floatToS(v) : "null";
  if (v instanceof RubySymbol) return JSON.stringify(v.name);
  if (Array.isArray(v)) return `[${v.map(json).join(",")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${JSON.stringify(toS(k))}:${json(x)}`).join(",")}}`;
  throw new NotTranslated(`to_json of ${className(v)}`);
}
