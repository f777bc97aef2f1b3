// `output:` (kamal lib/kamal/configuration/docs/output.yml).
import * as z from "zod";
import { str } from "./types.ts";

export const outputSchema = z
  .strictObject({
    otel: z
      .strictObject({ endpoint: str.optional().describe("OTLP/HTTP base URL; logs go to `<endpoint>/v1/logs`") })
      .optional()
      .describe("Send the log to an OpenTelemetry collector"),
    file: z
      .strictObject({ path: str.optional().describe("Directory for one log file per command") })
      .optional()
      .describe("Write the log of each modifying command to a file"),
  })
  .describe("Where to send a copy of the log");
