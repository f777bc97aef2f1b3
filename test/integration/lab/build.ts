import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { hasManifest } from "./registry.ts";
import { DOCKER_BIN, REGISTRY } from "./settings.ts";

// One cached image build on a dockerd: skipped when the hash of its context, args and tags matches the one
// recorded last time and the image is still there (on the daemon, and in the registry if it is pushed), so a
// repeated run costs an inspect and a HEAD request per image.

export type ImageBuild = {
  tags: string[];
  /** Writes the build context into dir (or returns an existing directory to use as is). */
  context: (dir: string) => Promise<string>;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  push: boolean;
  /** Hash of what this image is built on, so a changed base rebuilds it. */
  salt?: string;
};

export type Docker = (args: string[]) => Promise<string>;

export function dockerAt(socket: string): Docker {
  return async (args) => {
    // The classic builder: the lab's 20.10 daemon has BuildKit, but this machine has no buildx to drive it.
    const res = await execa(DOCKER_BIN, ["-H", `unix://${socket}`, ...args], { env: { DOCKER_BUILDKIT: "0" } });
    return res.stdout;
  };
}

async function hashContext(dir: string, build: ImageBuild): Promise<string> {
  const hash = crypto.createHash("sha256");
  hash.update(JSON.stringify({ tags: build.tags, args: build.buildArgs, labels: build.labels, salt: build.salt }));
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const rel = path.join(sub, entry.name);
      hash.update(`\0${rel}\0${fs.lstatSync(path.join(dir, rel)).mode}\0`);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isSymbolicLink()) hash.update(fs.readlinkSync(path.join(dir, rel)));
      else hash.update(fs.readFileSync(path.join(dir, rel)));
    }
  };
  walk("");
  return hash.digest("hex");
}

function splitTag(tag: string): { repo: string; ref: string } {
  const withoutRegistry = tag.slice(REGISTRY.length + 1);
  const colon = withoutRegistry.lastIndexOf(":");
  return { repo: withoutRegistry.slice(0, colon), ref: withoutRegistry.slice(colon + 1) };
}

async function isCached(docker: Docker, build: ImageBuild, hash: string, recorded: string | undefined) {
  if (recorded !== hash) return false;
  for (const tag of build.tags) {
    const local = await docker(["image", "inspect", "--format", "{{.Id}}", tag]).then(
      () => true,
      () => false,
    );
    if (!local) return false;
    if (build.push && tag.startsWith(`${REGISTRY}/`)) {
      const { repo, ref } = splitTag(tag);
      if (!(await hasManifest(repo, ref))) return false;
    }
  }
  return true;
}

/** Builds unless cached; returns the input hash. */
export async function buildOne(docker: Docker, build: ImageBuild, cache: Record<string, string>): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sextant-lab-image-"));
  try {
    const context = await build.context(tmp);
    const hash = await hashContext(context, build);
    const key = build.tags.join(" ");
    if (await isCached(docker, build, hash, cache[key])) return hash;
    const args = ["build", "--quiet"];
    for (const tag of build.tags) args.push("--tag", tag);
    for (const [k, v] of Object.entries(build.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
    for (const [k, v] of Object.entries(build.labels ?? {})) args.push("--label", `${k}=${v}`);
    await docker([...args, context]);
    if (build.push) for (const tag of build.tags.filter((t) => t.startsWith(`${REGISTRY}/`))) await docker(["push", tag]);
    cache[key] = hash;
    return hash;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
