// Kamal's argument helpers (kamal lib/kamal/utils.rb: argumentize, optionize, flatten_args), byte for byte.
import { RubyScalar } from "../ruby-scalar.ts";
import { escape } from "./escape.ts";

/**
 * Ruby's `present?`: not nil, not false, not an empty or whitespace-only string, not an empty list or hash.
 * Whitespace is Unicode's White_Space (ActiveSupport's `[[:space:]]`), which leaves out U+FEFF: JavaScript's
 * `trim()` would strip it and send a bare `--env NAME` where Kamal sends `NAME=\ufeff`.
 */
export function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "string") return !/^\p{White_Space}*$/u.test(value);
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof RubyScalar) return true;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** What `argumentize` accepts: a hash (key=value pairs), a list of bare words or pairs, or one bare word. */
export type Attributes =
  | Readonly<Record<string, unknown>>
  | readonly (string | readonly [string, unknown])[]
  | string
  | undefined;

function pairs(attributes: Attributes): (readonly [string, unknown])[] {
  if (attributes === undefined) return [];
  if (typeof attributes === "string") return [[attributes, undefined]];
  if (Array.isArray(attributes)) return attributes.map((a) => (typeof a === "string" ? [a, undefined] as const : a));
  return Object.entries(attributes);
}

/**
 * `flag key="value"` per pair: a present value is escaped, `false` stays a bare `key=false`, and an empty value
 * (or a plain word) gives the bare key, e.g. `--label destination`, `--env EMPTY`.
 */
export function argumentize(flag: string, attributes: Attributes): string[] {
  return pairs(attributes).flatMap(([key, value]) => {
    if (isPresent(value)) return [flag, `${key}=${escape(value)}`];
    if (value === false) return [flag, `${key}=false`];
    return [flag, key];
  });
}

/** Kamal's flatten_args: a list value repeats its key. */
const flatten = (options: Readonly<Record<string, unknown>>): (readonly [string, unknown])[] =>
  Object.entries(options).flatMap(([key, value]) =>
    Array.isArray(value) ? value.map((entry) => [key, entry] as const) : [[key, value] as const]);

const escaped = (value: unknown): string => escape(value ?? "");

/**
 * `--key value` per option (`--key=value` with `joinWith: "="`); `true` gives a bare `--key`.
 * Values are escaped unless `raw` is set.
 */
export function optionize(options: Readonly<Record<string, unknown>>, opts: { joinWith?: string; raw?: boolean } = {}): string[] {
  const render = (value: unknown) => (opts.raw ? String(value ?? "") : escaped(value));
  return flatten(options).flatMap(([key, value]) => {
    if (value === true) return [`--${key}`];
    return opts.joinWith === undefined ? [`--${key}`, render(value)] : [`--${key}${opts.joinWith}${render(value)}`];
  });
}
