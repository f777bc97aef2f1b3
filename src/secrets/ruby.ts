// Ruby string behaviours that Kamal's adapters depend on. `inspect` appears verbatim in passbolt filter expressions
// (`name.shellescape.inspect`) and in "Could not read [...]" messages that interpolate an Array; `split` differs from
// JavaScript's by dropping trailing empty fields, which decides how `a/b/` is read.

const NAMED: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v",
  "\b": "\\b", "\x07": "\\a", "\x1b": "\\e",
};

export function inspect(value: string): string {
  let out = "";
  const chars = [...value];
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (NAMED[ch] !== undefined) out += NAMED[ch];
    else if (ch === "#" && /[{$@]/.test(chars[i + 1] ?? "")) out += "\\#";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  });
  return `"${out}"`;
}

/** `Array#inspect` of strings: `["a", "b"]`. */
export const inspectList = (values: readonly string[]): string => `[${values.map(inspect).join(", ")}]`;

/** Ruby's `String#split(sep)`: like JavaScript's, but trailing empty fields are dropped (`"a/".split("/")` is `["a"]`). */
export function split(value: string, separator: string): string[] {
  const parts = value.split(separator);
  while (parts.length > 0 && parts.at(-1) === "") parts.pop();
  return parts;
}
