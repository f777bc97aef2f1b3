// A JSON Schema of deploy.yml for editors (yaml-language-server: `# yaml-language-server: $schema=...`),
// generated from the zod schemas so the two cannot disagree.
import * as z from "zod";
import { documentationOf } from "./schema/either.ts";
import { rootSchema } from "./schema/root.ts";
import { rubyScalar } from "./schema/types.ts";

/** Converts a schema, standing in the documented union for each shape-switching (`shaped`) schema. */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: "input",
    // yaml-language-server and most editors speak draft-07.
    target: "draft-7",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === rubyScalar) Object.assign(jsonSchema, { type: "number" });
      const documented = documentationOf(zodSchema);
      if (!documented) return;
      const { description } = jsonSchema;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
      Object.assign(jsonSchema, toJsonSchema(documented), description === undefined ? {} : { description });
      delete (jsonSchema as Record<string, unknown>).$schema;
    },
  }) as Record<string, unknown>;
}

export function configJsonSchema(): object {
  const schema = toJsonSchema(rootSchema);
  return {
    ...schema,
    title: "sextant / Kamal 2 config/deploy.yml",
    // `x-` keys hold YAML anchors (root only).
    patternProperties: { "^x-": {} },
  };
}
