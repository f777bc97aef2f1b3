// Reference of deploy.yml, generated from the schemas' descriptions and defaults: as Markdown tables in
// docs/configuration.md, and as YAML-shaped text for a terminal in `sextant docs [SECTION]`.
import * as z from "zod";
import { UsageError } from "../errors.ts";
import { documentationOf } from "./schema/either.ts";
import { def, isWrapper, unwrap } from "./schema/introspect.ts";
import { rootSchema, rootShape } from "./schema/root.ts";

const meta = (schema: z.ZodType): { description?: string; default?: unknown } => z.globalRegistry.get(schema) ?? {};

const isKamalString = (options: z.ZodType[]) =>
  options.length === 4 && ["string", "number", "boolean", "custom"].every((type, i) => def(options[i] as z.ZodType).type === type);

function typeName(schema: z.ZodType): string {
  const inner = unwrap(schema);
  const d = def(inner);
  switch (d.type) {
    case "union":
      return isKamalString(d.options ?? []) ? "string" : [...new Set((d.options ?? []).map(typeName))].join(" or ");
    case "number":
      return "integer";
    case "array": {
      const element = typeName(d.element as z.ZodType);
      return element.includes(" ") ? `list of (${element})` : `list of ${element === "hash" ? "hashes" : `${element}s`}`;
    }
    case "record":
      return "hash";
    case "object":
      return "hash";
    case "literal":
      return (d.values ?? []).map(String).join(" or ");
    case "string":
    case "boolean":
      return d.type;
    default:
      return "any";
  }
}

/** The settings hashes under a key: the object itself, or those inside unions, lists and name -> settings maps. */
function objectsUnder(schema: z.ZodType, path: string): [string, z.ZodType][] {
  const inner = unwrap(schema);
  const d = def(inner);
  if (d.type === "object") return [[path, inner]];
  if (d.type === "union") return (d.options ?? []).flatMap((option) => objectsUnder(option, path));
  if (d.type === "array") return objectsUnder(d.element as z.ZodType, `${path}/*`);
  if (d.type === "record") return objectsUnder(d.valueType as z.ZodType, `${path}/<name>`);
  return [];
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const defaultOf = (schema: z.ZodType) => {
  const value = meta(schema).default;
  return value === undefined ? "" : `\`${JSON.stringify(value)}\``;
};

/** How the keys of one settings hash are laid out: Markdown table or terminal text. */
type Layout = (shape: Record<string, z.ZodType>, path: string) => string[];

const table: Layout = (shape, path) => {
  const rows = Object.entries(shape).map(([key, schema]) => {
    const nested = objectsUnder(schema, path ? `${path}/${key}` : key).length > 0;
    const type = typeName(schema) + (nested ? " (below)" : "");
    return `| \`${key}\` | ${cell(type)} | ${defaultOf(schema)} | ${cell(descriptionOf(schema))} |`;
  });
  return ["| Key | Type | Default | Description |", "| --- | --- | --- | --- |", ...rows];
};

/**
 * For a terminal: each key as a YAML line, with its default as the value where there is one (so the line can be
 * pasted as is) and its type otherwise, then the description indented below it.
 */
const keyList: Layout = (shape, path) => {
  // A root section's keys sit under its name, as in the file; deeper ones are headed by their path instead.
  const parent = path !== "" && !path.includes("/") ? [`${path}:`] : [];
  const indent = path === "" ? "" : "  ";
  return [
    ...parent,
    ...Object.entries(shape).flatMap(([key, schema]) => {
      const value = meta(schema).default;
      const nested = objectsUnder(schema, path ? `${path}/${key}` : key).length > 0;
      const shown = value === undefined ? `<${typeName(schema)}>${nested ? " (below)" : ""}` : JSON.stringify(value);
      const description = descriptionOf(schema);
      return [`${indent}${key}: ${shown}`, ...(description ? [`${indent}    ${description}`] : [])];
    }),
  ];
};

/** The description closest to the key: on a wrapper, on the switch itself, or on what it wraps. */
function descriptionOf(schema: z.ZodType): string {
  const own = meta(schema).description;
  if (own !== undefined) return own;
  const d = def(schema);
  if (isWrapper(d)) return descriptionOf(d.innerType);
  const documented = documentationOf(schema);
  return documented ? descriptionOf(documented) : "";
}

function section(key: string, schema: z.ZodType, layout: Layout): string[] {
  const lines = [`## ${key}`, ""];
  const description = descriptionOf(schema);
  if (description) lines.push(description, "");
  lines.push(`Type: ${typeName(schema)}.`, "");
  const seen = new Set<z.ZodType>();
  const visit = (at: z.ZodType, path: string, depth: number) => {
    for (const [where, object] of objectsUnder(at, path)) {
      if (seen.has(object)) continue;
      seen.add(object);
      const shape = def(object).shape ?? {};
      if (depth > 0 || where !== key) lines.push(`### ${where}`, "", ...(depth > 0 && meta(object).description ? [meta(object).description ?? "", ""] : []));
      lines.push(...layout(shape, where), "");
      for (const [child, childSchema] of Object.entries(shape)) visit(childSchema, `${where}/${child}`, depth + 1);
    }
  };
  visit(schema, key, 0);
  return lines;
}

const SHAPE: Record<string, z.ZodType> = rootShape;
const isSection = (key: string, schema: z.ZodType) =>
  key === "aliases" || objectsUnder(schema, "").length > 0 || documentationOf(unwrap(schema)) !== undefined;
/** Kamal's `kamal docs` section names, for muscle memory. */
const KAMAL_NAMES: Readonly<Record<string, string>> = { accessory: "accessories", alias: "aliases", role: "servers", configuration: "root" };

let sections: string[] | undefined;
export const docSections = (): string[] =>
  (sections ??= ["root", ...Object.keys(SHAPE).filter((key) => isSection(key, SHAPE[key] as z.ZodType))]);

/** The `sextant docs` command that describes the setting at `path`, as a hint. */
export function docsCommand(path: readonly (string | number)[]): string {
  const section = String(path[0]);
  return docSections().includes(section) ? `\`sextant docs ${section}\`` : "`sextant docs`";
}

/** docs/configuration.md: the whole reference as Markdown. */
export function configDocs(sectionName?: string): string {
  return reference(sectionName, table, ["<!-- Generated from src/config/schema by `npx tsx scripts/config-docs.ts`; do not edit. -->", ""]);
}

/** What `sextant docs [SECTION]` prints: the same reference laid out for a terminal. */
export function terminalDocs(sectionName?: string): string {
  return reference(sectionName, keyList, []);
}

/** The reference for one section (`proxy`, `servers`, `root`...), or for the whole file. */
function reference(sectionName: string | undefined, layout: Layout, preamble: readonly string[]): string {
  if (sectionName !== undefined) {
    const name = KAMAL_NAMES[sectionName] ?? sectionName;
    if (!docSections().includes(name))
      throw new UsageError(`No documentation for ${sectionName}`, { hint: `sections are: ${docSections().join(", ")}` });
    return `${(name === "root" ? rootSection(layout) : section(name, SHAPE[name] as z.ZodType, layout)).join("\n").trimEnd()}\n`;
  }
  const lines = [
    "# config/deploy.yml",
    "",
    ...preamble,
    "sextant reads Kamal 2's configuration unchanged. Unknown keys are errors; keys starting with `x-` are allowed at the root to hold YAML anchors.",
    "",
    ...rootSection(layout),
    ...docSections()
      .filter((name) => name !== "root")
      .flatMap((name) => section(name, SHAPE[name] as z.ZodType, layout)),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

function rootSection(layout: Layout): string[] {
  const scalars = Object.fromEntries(Object.entries(SHAPE).filter(([key, schema]) => !isSection(key, schema)));
  return ["## Root keys", "", meta(rootSchema).description ?? "", "", ...layout(scalars, ""), ""];
}
