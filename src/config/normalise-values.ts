// Small conversions shared by the normalise-* files: YAML "strings" may be numbers or booleans (Kamal accepts them).

export const str = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

export const stringMap = (raw: Readonly<Record<string, unknown>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(raw ?? {}).map(([key, value]) => [key, String(value)]));

/**
 * Kamal calls `to_sym` on a hooks_output level: a plain `:verbose` is the Symbol :verbose, while a quoted
 * `":verbose"` is the String ":verbose", whose symbol is not a level (Kamal refuses it).
 */
export const hookLevel = (value: unknown): string => String(value);
