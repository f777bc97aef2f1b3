// `docker buildx build` options after the tags, in Kamal's order (kamal lib/kamal/commands/builder/base.rb,
// configuration/builder.rb cache settings).
import type { Config } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { absoluteImage, latestImage } from "./names.ts";

function cacheRef(config: Config): string {
  const image = config.builder.cache?.image ?? `${config.image}-build-cache`;
  return [config.registry.server, image].filter((part) => part !== undefined).join("/");
}

/** GitHub Actions' cache reads only some of the options it is written with. */
const GHA_READ_OPTIONS = /^(url|url_v2|token|scope|timeout)=/;

export function cacheArgs(config: Config): string[] {
  const cache = config.builder.cache;
  if (cache === undefined) return [];
  const options = cache.options === undefined ? [] : [cache.options];
  if (cache.type === "gha") {
    const readable = (cache.options?.split(",") ?? []).filter((option) => GHA_READ_OPTIONS.test(option));
    return ["--cache-to", ["type=gha", ...options].join(","), "--cache-from", ["type=gha", ...readable].join(",")];
  }
  if (cache.type === "registry") {
    const ref = `ref=${cacheRef(config)}`;
    return ["--cache-to", ["type=registry", ref, ...options].join(","), "--cache-from", ["type=registry", ref].join(",")];
  }
  return [];
}

/** cache, `--label service=`, build args, secrets (by id; values come from the environment), file, target, ssh, provenance, sbom */
export function buildOptions(config: Config): string[] {
  const b = config.builder;
  return [
    ...cacheArgs(config),
    ...argumentize("--label", { service: config.service }),
    ...argumentize("--build-arg", b.args),
    ...argumentize("--secret", b.secrets.map((secret) => ["id", secret] as const)),
    ...argumentize("--file", b.dockerfile),
    ...(b.target ? argumentize("--target", b.target) : []),
    ...(b.ssh ? argumentize("--ssh", b.ssh) : []),
    ...(b.provenance === undefined ? [] : ["--provenance", String(b.provenance)]),
    ...(b.sbom === undefined ? [] : ["--sbom", String(b.sbom)]),
  ];
}

/** The build context: `builder.context`, else `.` (the flow runs the build inside the git clone when it uses one). */
export const buildContext = (config: Config): string => config.builder.context ?? ".";

/** `-t REPO:VER -t REPO:latest[-DEST]` (with `-dirty` for dev builds). */
export const tagArgs = (config: Config, tagAsDirty = false): string[] =>
  [absoluteImage(config), latestImage(config)].flatMap((tag) => ["-t", tagAsDirty ? `${tag}-dirty` : tag]);
