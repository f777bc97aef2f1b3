// Writes docs/configuration.md and docs/deploy.schema.json from the config schemas.
// Run after changing src/config/schema: `npx tsx scripts/config-docs.ts`. test/config/docs.test.ts fails on drift.
import { writeFileSync } from "node:fs";
import { configDocs } from "../src/config/docs.ts";
import { configJsonSchema } from "../src/config/json-schema.ts";

writeFileSync(new URL("../docs/configuration.md", import.meta.url), configDocs());
writeFileSync(new URL("../docs/deploy.schema.json", import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
