// Cloud Native Buildpacks instead of a Dockerfile (kamal lib/kamal/commands/builder/pack.rb).
import type { Config } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { buildContext, tagArgs } from "./builder-options.ts";
import type { BuildTarget } from "./builder-target.ts";
import type { PushOptions } from "./builder.ts";
import { absoluteImage, latestImage } from "./names.ts";
import { and, cmd, KeyedSecret, type Shell } from "./shell.ts";

/** `pack build` for the first local arch, labelled like a buildx image, then `docker push` of both tags. */
export function pushWithPack(config: Config, target: BuildTarget, opts: PushOptions): Shell {
  const pack = config.builder.pack;
  if (pack === undefined) throw new Error("builder.pack is not configured");
  const build = cmd("pack", "build", config.repository,
    "--platform", `linux/${target.localArches[0] ?? ""}`,
    "--creation-time", "now",
    "--builder", pack.builder,
    [...pack.buildpacks, "paketo-buildpacks/image-labels"].flatMap((buildpack) => ["--buildpack", buildpack]),
    tagArgs(config, opts.tagAsDirty),
    opts.noCache ? "--clear-cache" : null,
    "--env", `BP_IMAGE_LABELS=service=${config.service}`,
    argumentize("--env", config.builder.args),
    config.builder.secrets.flatMap((name) => ["--env", new KeyedSecret(name, config.secrets.get(name))]),
    "--path", buildContext(config));
  if ((opts.output ?? "registry") !== "registry") return build;
  return and(build, cmd("docker", "push", absoluteImage(config)), cmd("docker", "push", latestImage(config)));
}
