// Kamal's shell escaping (kamal lib/kamal/utils.rb: escape_shell_value, argumentize, optionize), reproduced
// byte for byte: an ASCII run is rendered as Ruby's String#dump would, then backticks and any `$` that does not
// open a `${...}` group are backslashed. Non-ASCII runs pass through raw.

const NAMED: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v",
  "\b": "\\b", "\x07": "\\a", "\x1b": "\\e",
};

/** Ruby `String#dump` of an ASCII string: the double-quoted literal. */
export function rubyDump(ascii: string): string {
  let out = "";
  for (let i = 0; i < ascii.length; i++) {
    const ch = ascii[i] as string;
    const code = ch.charCodeAt(0);
    if (NAMED[ch] !== undefined) out += NAMED[ch];
    else if (ch === "#" && /[{$@]/.test(ascii[i + 1] ?? "")) out += "\\#";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return `"${out}"`;
}

const escapeAscii = (s: string): string => rubyDump(s).replaceAll("`", "\\`").replace(/\$(?!\{[^}]*\})/g, "\\$");

/** Non-empty printable ASCII that neither String#dump nor the shell pass escapes (most values): just quoted. */
const PLAIN = /^[\x20-\x7e]+$/;
const SPECIAL = /["\\#$`]/;

/** Kamal's `escape_shell_value`. */
export function escape(value: unknown): string {
  const s = String(value);
  if (PLAIN.test(s) && !SPECIAL.test(s)) return `"${s}"`;
  return (s.match(/[\x00-\x7f]+|[^\x00-\x7f]+/g) ?? []).map((run) => (/^[\x00-\x7f]/.test(run) ? escapeAscii(run) : run)).join("");
}
