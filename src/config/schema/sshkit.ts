// `sshkit:` (kamal lib/kamal/configuration/docs/sshkit.yml).
import * as z from "zod";
import { int } from "./types.ts";

export const sshkitSchema = z
  .strictObject({
    max_concurrent_starts: int.optional().meta({ default: 30 }).describe("SSH connections opened at the same time"),
    pool_idle_timeout: int.optional().meta({ default: 900 }).describe("Seconds an idle SSH connection is kept"),
    dns_retries: int.optional().meta({ default: 3 }).describe("Retries of a failed DNS lookup when connecting"),
  })
  .describe("SSH connection pool");
