// `registry:` at the root or in an accessory (kamal lib/kamal/configuration/docs/registry.yml,
// validator/registry.rb).
import * as z from "zod";
import { str } from "./types.ts";

/** `localhost:PORT` means a registry Kamal runs locally and tunnels to the hosts (registry.rb `local?`). */
export const isLocalRegistry = (server: unknown): boolean =>
  server !== undefined && server !== null && /^localhost[:$]/.test(String(server));

const credential = z
  .unknown()
  .describe("A literal, or `[SECRET_NAME]` to read it from .kamal/secrets");

export const registrySchema = z
  .strictObject({
    server: str.optional().describe("Registry host (default: Docker Hub); `localhost:PORT` runs a local registry"),
    username: credential.optional(),
    password: credential.optional(),
  })
  .superRefine((registry, ctx) => {
    if (isLocalRegistry(registry.server)) return;
    for (const key of ["username", "password"] as const) {
      const value = registry[key];
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "is required",
          params: { fix: key === "password" ? "add `password: [KAMAL_REGISTRY_PASSWORD]` and set it in .kamal/secrets" : `add \`${key}:\`` },
        });
      else if (!(typeof value === "string" || (Array.isArray(value) && value.length === 1 && typeof value[0] === "string")))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "should be a string or an array with one string (for secret lookup)",
          params: { fix: `write \`${key}: value\`, or \`${key}: [SECRET_NAME]\` to read it from .kamal/secrets` },
        });
    }
  })
  .describe("Where images are pushed and pulled");

export type RegistryInput = z.infer<typeof registrySchema>;
