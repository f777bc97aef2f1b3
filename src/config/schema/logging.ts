// `logging:` at the root or in a role (kamal lib/kamal/configuration/docs/logging.yml).
import * as z from "zod";
import { anyHash, str } from "./types.ts";

export const loggingSchema = z.strictObject({
  driver: str.optional().describe("Docker log driver (`--log-driver`)"),
  options: anyHash.optional().describe("Log driver options (`--log-opt key=value`)"),
});
export const rootLoggingSchema = loggingSchema.describe(
  "Container logging; with neither driver nor options, `--log-opt max-size=10m`",
);
