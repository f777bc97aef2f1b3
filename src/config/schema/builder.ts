// `builder:` (kamal lib/kamal/configuration/docs/builder.yml, validator/builder.rb).
import * as z from "zod";
import { isArray, shaped } from "./either.ts";
import { anyHash, bool, str, strList } from "./types.ts";

const ARCH_MESSAGE = "should be an array or a string";
// Kamal reports any problem inside `arch` with the one message (validate_array_of_or_type!).
const arch = shaped<string | number | boolean | (string | number | boolean)[]>((value) => {
  const schema = isArray(value) ? strList : str;
  return schema.safeParse(value).success ? schema : ARCH_MESSAGE;
}, z.union([str, strList])).describe("Platforms to build: `amd64`, `arm64`, or both");

export const builderSchema = z
  .strictObject({
    arch: arch.optional(),
    remote: str.optional().describe("Docker host of a remote builder (`ssh://user@host`), used for the other arches"),
    local: bool.optional().meta({ default: true }).describe("`false`: build every arch on the remote builder"),
    pack: z
      .strictObject({
        builder: str.optional().describe("Buildpacks builder image"),
        buildpacks: strList.optional().describe("Buildpacks to use"),
      })
      .optional()
      .describe("Build with Cloud Native Buildpacks instead of a Dockerfile (one arch only)"),
    cache: z
      .strictObject({
        type: str.optional().describe("`gha` or `registry`"),
        options: str.optional().describe("Extra cache options, e.g. `mode=max`"),
        image: str.optional().describe("Cache image for the registry cache (default: `<image>-build-cache`)"),
      })
      .optional()
      .describe("Build cache"),
    context: str.optional().describe("Build context (default: a clean git clone of HEAD)"),
    dockerfile: str.optional().meta({ default: "Dockerfile" }).describe("Dockerfile path"),
    target: str.optional().describe("Build stage (`--target`)"),
    args: anyHash.optional().describe("Build arguments (`--build-arg`)"),
    secrets: strList.optional().describe("Secrets from .kamal/secrets passed to the build (`--secret id=NAME`)"),
    ssh: str.optional().describe("SSH agent socket or keys for the build (`--ssh`)"),
    driver: str.optional().meta({ default: "docker-container" }).describe("buildx driver; `cloud org/name` for Docker Build Cloud"),
    provenance: str.optional().describe("Provenance attestation (`--provenance`)"),
    sbom: bool.optional().describe("SBOM attestation (`--sbom`)"),
  })
  .superRefine((builder, ctx) => {
    const type = builder.cache?.type;
    if (type !== undefined && type !== "gha" && type !== "registry")
      ctx.addIssue({ code: "custom", message: `Invalid cache type: ${String(type)}`, params: { fix: "use `type: gha` or `type: registry`" } });
    const arches = builder.arch;
    if (arches === undefined || arches === "" || (Array.isArray(arches) && arches.length === 0))
      ctx.addIssue({ code: "custom", message: "Builder arch not set", params: { fix: "add `arch: amd64` (or arm64, or both)" } });
    if (builder.pack && Array.isArray(arches) && arches.length > 1)
      ctx.addIssue({
        code: "custom",
        message: "buildpacks only support building for one arch",
        params: { fix: "list one arch, or build with a Dockerfile (remove `pack:`)" },
      });
    if (builder.local === false && (builder.remote === undefined || builder.remote === ""))
      ctx.addIssue({
        code: "custom",
        message: "Cannot disable local builds, no remote is set",
        params: { fix: "set `remote: ssh://user@builder-host`, or remove `local: false`" },
      });
  })
  .describe("How the image is built");
