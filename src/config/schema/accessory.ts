// `accessories:` (kamal lib/kamal/configuration/docs/accessory.yml, validator/accessory.rb).
import * as z from "zod";
import { either, isHash, isStringish } from "./either.ts";
import { envSchema } from "./env.ts";
import { accessoryProxySchema } from "./proxy.ts";
import { registrySchema } from "./registry.ts";
import { appLabels, dockerOptions, str, strList } from "./types.ts";

const pathEntry = either(
  "should be a string or a hash",
  [isStringish, str],
  [
    isHash,
    z.strictObject({
      local: str.optional().describe("Path on this machine (files) or on the host (directories)"),
      remote: str.optional().describe("Path inside the container"),
      mode: str.optional().describe("chmod mode, e.g. \"0600\" (quote it: 0600 unquoted is octal)"),
      owner: str.optional().describe("chown owner, e.g. `mysql:mysql`"),
      options: str.optional().describe("Mount options, e.g. `ro` or `Z`"),
    }),
  ],
);

const HOST_KEYS = ["host", "hosts", "role", "roles", "tag", "tags"] as const;

export const accessorySchema = z
  .strictObject({
    service: str.optional().describe("Container name and `service` label (default: `<service>-<name>`)"),
    image: str.optional().describe("Image, used as written (prefixed with this accessory's registry server)"),
    registry: registrySchema.optional().describe("Registry to log in to for this image"),
    host: str.optional().describe("The one host to run on"),
    hosts: strList.optional().describe("Hosts to run on"),
    role: str.optional().describe("Run on the hosts of this role"),
    roles: strList.optional().describe("Run on the hosts of these roles"),
    tag: str.optional().describe("Run on the hosts with this tag"),
    tags: strList.optional().describe("Run on the hosts with any of these tags"),
    cmd: str.optional().describe("Command run in the container instead of the image's default"),
    port: str.optional().describe("`PORT` or `[IP:]HOST_PORT:CONTAINER_PORT` to publish (quote it)"),
    labels: appLabels.optional().describe("Container labels"),
    options: dockerOptions.optional().describe("Extra `docker run` flags; `restart` replaces `unless-stopped`"),
    env: envSchema.optional().describe("Environment (the root env is not applied)"),
    files: z
      .array(pathEntry)
      .optional()
      .describe("Files uploaded and mounted: `local:remote[:options]` or `{local, remote, mode, owner, options}`; `.erb` files are rendered first"),
    directories: z
      .array(pathEntry)
      .optional()
      .describe("Host directories created and mounted: `local:remote[:options]` or `{local, remote, mode, owner, options}`"),
    volumes: strList.optional().describe("Extra `--volume` mounts, not created"),
    network: str.optional().meta({ default: "kamal" }).describe("Docker network"),
    proxy: accessoryProxySchema.optional(),
  })
  .superRefine((accessory, ctx) => {
    if (HOST_KEYS.filter((key) => key in accessory).length !== 1)
      ctx.addIssue({
        code: "custom",
        message: "specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`",
        params: { fix: "keep exactly one of them" },
      });
  });

export const accessoriesSchema = z
  .record(z.string(), accessorySchema)
  .describe("Other containers the app needs (databases, caches), managed with `sextant accessory`");

export type AccessoryInput = z.infer<typeof accessorySchema>;
