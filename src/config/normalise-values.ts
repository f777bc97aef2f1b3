// Small conversions shared by the normalise-* files: YAML "strings" may be numbers or booleans (Kamal accepts them).

export const str = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

export const stringMap = (raw: Readonly<Record<string, unknown>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(raw ?? {}).map(([key, value]) => [key, String(value)]));

/** `:verbose` arrives as a string from a YAML 1.2 parser; Ruby would have read a symbol. */
export const hookLevel = (value: unknown): string => String(value).replace(/^:/, "");
