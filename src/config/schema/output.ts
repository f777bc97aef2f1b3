// `output:` (kamal lib/kamal/configuration/docs/output.yml). What the copies hold: docs/output.md.
import * as z from "zod";
import { str } from "./types.ts";

export const outputSchema = z
  .strictObject({
    otel: z
      .strictObject({ endpoint: str.optional().describe("OTLP/HTTP base URL; logs go to `<endpoint>/v1/logs`") })
      .optional()
      .describe("Send the log of each command that changes the servers to an OpenTelemetry collector (OTLP/HTTP JSON); never under --dry-run"),
    file: z
      .strictObject({ path: str.optional().describe("Directory (relative to the app) for one log file per command, named `TIME[_DESTINATION]_COMMAND.log`") })
      .optional()
      .describe("Write the log of each command that changes the servers to a file"),
  })
  .describe("Where to send a copy of the log of each command that changes the servers (see docs/output.md)");
