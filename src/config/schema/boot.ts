// `boot:` (kamal lib/kamal/configuration/docs/boot.yml).
import * as z from "zod";
import { bool, int, str } from "./types.ts";

export const bootSchema = z
  .strictObject({
    limit: str
      .refine((value) => /^\d+%?$/.test(String(value)), {
        message: "should be a number of hosts or a percentage",
        params: { fix: "write e.g. `limit: 2` or `limit: 25%`" },
      })
      .optional()
      .describe("Hosts booted at a time: a number, or `N%` of all hosts (accessory hosts included), at least 1"),
    wait: int.optional().describe("Seconds to wait after each group"),
    parallel_roles: bool.optional().meta({ default: false }).describe("Boot the roles of a host at the same time"),
  })
  .describe("Rolling deploys: boot the app on a few hosts at a time");
