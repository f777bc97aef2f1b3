// The whole deploy.yml (kamal lib/kamal/configuration/docs/configuration.yml). Keys starting with `x-` are
// allowed at the root only, to hold YAML anchors.
import * as z from "zod";
import { accessoriesSchema } from "./accessory.ts";
import { aliasesSchema } from "./aliases.ts";
import { bootSchema } from "./boot.ts";
import { builderSchema } from "./builder.ts";
import { rootEnvSchema } from "./env.ts";
import { rootLoggingSchema } from "./logging.ts";
import { outputSchema } from "./output.ts";
import { rootProxySchema } from "./proxy.ts";
import { registrySchema } from "./registry.ts";
import { serversSchema } from "./servers.ts";
import { sshSchema } from "./ssh.ts";
import { sshkitSchema } from "./sshkit.ts";
import { bool, int, labels, str, strList } from "./types.ts";

export const hooksOutputSchema = z
  .union([str, z.record(z.string(), str)], { error: "should be a string or a symbol" })
  .describe("Show hook output: `quiet` or `verbose`, or hook name -> level");

/** The root keys, in the order of Kamal's configuration docs; `sextant docs` follows it. */
export const rootShape = {
  service: str.optional().describe("Name of the app: used in container names, labels and the lock (required)"),
  image: str.optional().describe("Image name, without the registry server (required unless the registry is local)"),
  labels: labels.optional().describe("Labels added to every app container"),
  volumes: strList.optional().describe("`--volume` mounts of every app container"),
  // Missing registry and builder are validated as empty sections, for Kamal's messages (`registry/username: is required`).
  registry: registrySchema.prefault({}),
  servers: serversSchema.optional(),
  env: rootEnvSchema.optional(),
  asset_path: str.optional().describe("Path of assets inside the image to share between versions (`path[:options]`)"),
  hooks_path: str.optional().meta({ default: ".kamal/hooks" }).describe("Directory of the hook scripts"),
  hooks_output: hooksOutputSchema.optional(),
  secrets_path: str.optional().meta({ default: ".kamal/secrets" }).describe("Secrets file; `-common` and `.DESTINATION` variants are read too"),
  error_pages_path: str.optional().describe("Directory of `4xx.html`/`5xx.html` pages served by kamal-proxy"),
  require_destination: bool.optional().meta({ default: false }).describe("Refuse to run without `-d DESTINATION`"),
  primary_role: str.optional().meta({ default: "web" }).describe("Role whose first host runs one-off work and holds the lock"),
  allow_empty_roles: bool.optional().meta({ default: false }).describe("Allow roles without hosts"),
  retain_containers: int.optional().meta({ default: 5 }).describe("Old containers kept by `prune` (at least 1)"),
  minimum_version: str.optional().describe("Oldest Kamal version this file works with"),
  readiness_delay: int.optional().meta({ default: 7 }).describe("Seconds a container without proxy must keep running to count as ready"),
  deploy_timeout: int.optional().meta({ default: 30 }).describe("Seconds a new container has to become healthy"),
  drain_timeout: int.optional().meta({ default: 30 }).describe("Seconds old containers get to finish requests"),
  stop_timeout: int.optional().describe("Seconds `docker stop` waits (roles may override)"),
  run_directory: str.optional().describe("Accepted for compatibility and ignored: Kamal 2 always uses `.kamal`"),
  ssh: sshSchema.optional(),
  builder: builderSchema.prefault({}),
  accessories: accessoriesSchema.optional(),
  proxy: rootProxySchema.optional(),
  sshkit: sshkitSchema.optional(),
  boot: bootSchema.optional(),
  logging: rootLoggingSchema.optional(),
  output: outputSchema.optional(),
  aliases: aliasesSchema.optional(),
};

export const rootSchema = z.strictObject(rootShape).describe("config/deploy.yml");

export type RootInput = z.infer<typeof rootSchema>;
export type SectionName = keyof typeof rootShape;
