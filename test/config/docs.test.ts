import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { configDocs, docSections } from "../../src/config/docs.ts";
import { configJsonSchema } from "../../src/config/json-schema.ts";

const read = (file: string) => readFileSync(new URL(`../../docs/${file}`, import.meta.url), "utf8");

describe("generated config docs", () => {
  test("docs/configuration.md matches the schemas (run `npx tsx scripts/config-docs.ts`)", () => {
    expect(read("configuration.md")).toBe(configDocs());
  });

  test("docs/deploy.schema.json matches the schemas (run `npx tsx scripts/config-docs.ts`)", () => {
    expect(read("deploy.schema.json")).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });

  test("every root section can be shown alone, also by Kamal's section names", () => {
    expect(docSections()).toEqual([
      "root", "registry", "servers", "env", "ssh", "builder", "accessories", "proxy", "sshkit", "boot", "logging", "output", "aliases",
    ]);
    expect(configDocs("boot")).toMatchInlineSnapshot(`
      "## boot

      Rolling deploys: boot the app on a few hosts at a time

      Type: hash.

      | Key | Type | Default | Description |
      | --- | --- | --- | --- |
      | \`limit\` | string |  | Hosts booted at a time: a number, or \`N%\` of all hosts (accessory hosts included), at least 1 |
      | \`wait\` | integer |  | Seconds to wait after each group |
      | \`parallel_roles\` | boolean | \`false\` | Boot the roles of a host at the same time |
      "
    `);
    expect(configDocs("accessory")).toBe(configDocs("accessories"));
    expect(configDocs("alias")).toBe(configDocs("aliases"));
    expect(configDocs("configuration")).toBe(configDocs("root"));
  });

  test("an unknown section lists the known ones", () => {
    expect(() => configDocs("nope")).toThrow("No documentation for nope");
  });

  test("the JSON Schema lets x- keys through at the root only", () => {
    const schema = configJsonSchema() as { patternProperties: object; additionalProperties: boolean };
    expect(schema.patternProperties).toEqual({ "^x-": {} });
    expect(schema.additionalProperties).toBe(false);
  });
});
