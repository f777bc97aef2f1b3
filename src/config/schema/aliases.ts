// `aliases:` (kamal lib/kamal/configuration/docs/alias.yml).
import * as z from "zod";
import { str } from "./types.ts";

export const aliasesSchema = z
  .record(z.string(), str)
  .describe("Command shortcuts: `console: app exec -i --reuse \"bin/rails console\"` makes `sextant console`");
