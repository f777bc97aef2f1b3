// A YAML mapping becomes a plain object keyed by strings, which loses two things Ruby keeps and `kamal config`
// prints: the type of a key (`1:`, `true:`, `2.5:` are an Integer, a boolean and a Float in Ruby, printed bare;
// a quoted "1" is a String, printed quoted) and the written order (a JavaScript object lists integer-like keys
// first). The loader records both here for the mappings where they differ from what the object says.

/** Each key of the object in written order, with the value Ruby holds as that key. */
export type RubyKeys = readonly (readonly [key: string, rubyKey: unknown])[];

const recorded = new WeakMap<object, RubyKeys>();

// Keys a JavaScript object moves to the front, in numeric order (array indices).
const INTEGER_LIKE = /^(?:0|[1-9]\d{0,8})$/;

/** Records `keys` for `hash` when its own keys would tell a different story (a non-String key, a reordered key). */
export function recordRubyKeys(hash: object, keys: RubyKeys): void {
  if (keys.some(([key, rubyKey]) => typeof rubyKey !== "string" || INTEGER_LIKE.test(key))) recorded.set(hash, keys);
}

/** The object's keys as Ruby holds them: recorded ones, or its own keys as Strings in the object's order. */
export function rubyKeysOf(hash: object): RubyKeys {
  return recorded.get(hash) ?? Object.keys(hash).map((key) => [key, key] as const);
}
