// `servers:` and its roles (kamal lib/kamal/configuration/docs/servers.yml, role.yml, validator.rb
// validate_servers!).
import * as z from "zod";
import { either, isArray, isHash, isStringish } from "./either.ts";
import { envSchema } from "./env.ts";
import { loggingSchema } from "./logging.ts";
import { roleProxySchema } from "./proxy.ts";
import { appLabels, dockerOptions, int, str } from "./types.ts";

const tags = either("should be a string or an array", [isStringish, str], [isArray, z.array(str)]);

const taggedHost = z.record(z.string(), tags).superRefine((value, ctx) => {
  if (Object.keys(value).length !== 1)
    ctx.addIssue({
      code: "custom",
      message: "multiple hosts found",
      params: { fix: "write one host per list item: `- host: [tag1, tag2]`" },
    });
});

/** `- host` or `- host: tag` / `- host: [tag, tag]` */
const serverEntry = either("should be a string or a hash", [isStringish, str], [isHash, taggedHost]);

export const serverList = z
  .array(serverEntry)
  .describe("Hosts, each optionally tagged: `- 10.0.0.1` or `- 10.0.0.2: [canary, eu]`");

export const roleSchema = z.strictObject({
  hosts: serverList.optional(),
  cmd: str.optional().describe("Command run in the container instead of the image's default"),
  stop_timeout: int
    .optional()
    .describe("Seconds `docker stop` waits; default: the root stop_timeout, else none behind the proxy, else drain_timeout"),
  options: dockerOptions.optional().describe("Extra `docker run` flags; `restart` replaces `unless-stopped`"),
  logging: loggingSchema.optional().describe("Logging for this role, deep-merged over the root logging"),
  proxy: roleProxySchema
    .optional()
    .describe("Run behind kamal-proxy: default on for the primary role, off for others; a hash is merged over the root proxy"),
  labels: appLabels.optional().describe("Container labels, merged over the root labels"),
  env: envSchema.optional().describe("Environment, merged over the root env (tags only at the root)"),
  asset_path: str.optional().describe("Path of assets inside the image to share between versions (`path[:options]`)"),
});

const role = either("should be an array or a hash", [isArray, serverList], [isHash, roleSchema]);

export const serversSchema = either(
  "should be an array or a hash",
  [isArray, serverList],
  [isHash, z.record(z.string(), role)],
).describe("Hosts to deploy to: a list (one role, `web`) or role name -> hosts, or role name -> role settings");

export type RoleInput = z.infer<typeof roleSchema>;
export type ServerEntry = z.infer<typeof serverEntry>;
