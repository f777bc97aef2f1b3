// sextant's build for machines without the docker buildx plugin: the classic `docker build`, then a push of
// both tags. Kamal always uses buildx; the flow announces the fallback when it picks this.
import type { Config } from "../config/model.ts";
import { argumentize } from "./args.ts";
import { buildContext, tagArgs } from "./builder-options.ts";
import type { BuildTarget } from "./builder-target.ts";
import type { PushOptions } from "./builder.ts";
import { absoluteImage, latestImage } from "./names.ts";
import { and, cmd, type Shell } from "./shell.ts";

/**
 * Only a plain local build works without buildx: no remote or cloud builder, no pack, at most one platform,
 * no cache export, no build secrets or ssh forwarding.
 */
export function canBuildWithoutBuildx(config: Config, target: BuildTarget): boolean {
  const b = config.builder;
  return target.kind === "local" && target.arches.length <= 1 && b.cache === undefined && b.secrets.length === 0 && !b.ssh;
}

/**
 * `docker build -t REPO:VER -t REPO:latest --label service="SVC" [--build-arg ...] -f Dockerfile [--target T] CONTEXT`,
 * then a push of both tags (unless the output is not the registry).
 */
export function pushWithoutBuildx(config: Config, opts: Pick<PushOptions, "output" | "tagAsDirty" | "noCache">): Shell {
  const b = config.builder;
  const build = cmd("docker", "build", tagArgs(config, opts.tagAsDirty), argumentize("--label", { service: config.service }),
    argumentize("--build-arg", b.args), "-f", b.dockerfile, b.target ? ["--target", b.target] : null,
    opts.noCache ? "--no-cache" : null, buildContext(config));
  if ((opts.output ?? "registry") !== "registry") return build;
  const dirty = opts.tagAsDirty ? "-dirty" : "";
  return and(build, cmd("docker", "push", `${absoluteImage(config)}${dirty}`), cmd("docker", "push", `${latestImage(config)}${dirty}`));
}
