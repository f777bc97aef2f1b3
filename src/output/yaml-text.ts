/**
 * A YAML emitter for printing plain data (`sextant config`) in the layout Ruby's Psych uses, which is what
 * `kamal config` prints: a `---` header, sequences under a key not indented, `{}`/`[]` for empty collections.
 * Keys and symbol-like values written as `:name` stay plain, as Psych prints Ruby symbols. A string that would
 * read back as something else (a number, a YAML 1.1 boolean, null, a date) is single-quoted.
 */
export function toYaml(value: unknown): string {
  return `---${block(value, 0, "map-value")}\n`;
}

type Slot = "map-value" | "seq-item";

function block(value: unknown, indent: number, slot: Slot): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return " []";
    // Psych does not indent a sequence under a mapping key.
    const items = value.map((v) => `${pad}-${block(v, indent + 2, "seq-item")}`);
    return `\n${items.join("\n")}`;
  }
  if (isMap(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return " {}";
    const lines = entries.map(([k, v]) => `${pad}${scalar(k)}:${block(v, isMap(v) ? indent + 2 : indent, "map-value")}`);
    if (slot === "seq-item") return ` ${lines.join("\n").slice(indent)}`;
    return `\n${lines.join("\n")}`;
  }
  return ` ${scalar(value)}`;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  const s = String(value);
  if (/^:\w+$/.test(s) || (isPlainSafe(s) && !readsAsOtherType(s))) return s;
  if (/[\x00-\x1f\x7f]/.test(s)) return JSON.stringify(s);
  return `'${s.replaceAll("'", "''")}'`;
}

/** No leading indicator, no `: ` or ` #`, no surrounding space, nothing that needs escaping. */
const isPlainSafe = (s: string) =>
  /^[^\s\-?:,\[\]{}#&*!|>'"%@`][^\x00-\x1f\x7f]*$/.test(s) && !/: |:$| #|\s$/.test(s);

/** Scalars YAML 1.1 (which Ruby reads) would not take as a string. */
const readsAsOtherType = (s: string) =>
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/.test(s) ||
  /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$/.test(s) ||
  /^\d{4}-\d\d?-\d\d?(?:[Tt ].*)?$/.test(s);
