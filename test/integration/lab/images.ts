import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execa } from "execa";
import { copyWithLibraries } from "./libraries.ts";
import { hasManifest } from "./registry.ts";
import { DOCKER_BIN, REGISTRY } from "./settings.ts";

// Images are built FROM scratch on the build daemon and pushed to the lab registry. A build is skipped when
// the hash of its context, args and tags matches the last one recorded and the image is still in the
// registry, so repeated runs cost a few HEAD requests.

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const IMAGES_DIR = path.join(REPO_ROOT, "test", "integration", "images");

export const BASE_IMAGE = "sextant-lab/base:1";
export const APP_REPO = `${REGISTRY}/sextant-lab/sample-app`;
export const APP_VERSIONS = ["v1", "v2"];
export const REDIS_IMAGE = `${REGISTRY}/sextant-lab/redis:7`;
/** Kamal 2.12's default proxy image, which every lab host has under this exact name. */
export const PROXY_IMAGE = "basecamp/kamal-proxy:v0.9.2";

type ImageBuild = {
  tags: string[];
  /** Writes the build context into dir (or returns an existing directory to use as is). */
  context: (dir: string) => Promise<string>;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  push: boolean;
  /** Hash of what this image is built on, so a changed base rebuilds it. */
  salt?: string;
};

export type Docker = (args: string[], input?: string) => Promise<string>;

export function dockerAt(socket: string): Docker {
  return async (args) => {
    const res = await execa(DOCKER_BIN, ["-H", `unix://${socket}`, ...args], { env: { DOCKER_BUILDKIT: "0" } });
    return res.stdout;
  };
}

const baseBuild: ImageBuild = {
  tags: [BASE_IMAGE],
  push: false,
  context: async (dir) => {
    fs.copyFileSync(path.join(IMAGES_DIR, "base", "Dockerfile"), path.join(dir, "Dockerfile"));
    fs.copyFileSync("/bin/busybox", path.join(dir, "busybox"));
    fs.copyFileSync("/usr/bin/tini-static", path.join(dir, "tini-static"));
    return dir;
  },
};

const appBuild = (version: string, baseHash: string | undefined): ImageBuild => ({
  tags: [`${APP_REPO}:${version}`],
  push: true,
  salt: baseHash,
  buildArgs: { APP_VERSION: version },
  labels: { service: "sample-app" },
  context: async () => path.join(REPO_ROOT, "fixtures", "sample-app"),
});

const redisBuild: ImageBuild = {
  tags: [REDIS_IMAGE],
  push: true,
  context: async (dir) => {
    fs.copyFileSync(path.join(IMAGES_DIR, "redis", "Dockerfile"), path.join(dir, "Dockerfile"));
    const rootfs = path.join(dir, "rootfs");
    await copyWithLibraries("/usr/bin/redis-server", rootfs);
    fs.mkdirSync(path.join(rootfs, "data"), { recursive: true });
    fs.mkdirSync(path.join(rootfs, "tmp"), { recursive: true });
    return dir;
  },
};

const PROXY_CONTEXT_MODULE = path.join(REPO_ROOT, "proxy-standin", "image", "build-context.ts");

/** The proxy stand-in's context writer (proxy-standin/image/build-context.ts), or why it is unavailable. */
async function proxyContextWriter(): Promise<((dir: string) => Promise<void>) | string> {
  if (!fs.existsSync(PROXY_CONTEXT_MODULE)) return `${path.relative(REPO_ROOT, PROXY_CONTEXT_MODULE)} does not exist`;
  const mod: Record<string, unknown> = await import(pathToFileURL(PROXY_CONTEXT_MODULE).href);
  const write = mod.writeProxyImageContext;
  if (typeof write !== "function") return `${PROXY_CONTEXT_MODULE} does not export writeProxyImageContext`;
  return async (dir: string) => {
    await write(dir);
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
      hash.update(`\0${rel}\0`);
      if (entry.isDirectory()) walk(rel);
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
async function buildOne(docker: Docker, build: ImageBuild, cache: Record<string, string>): Promise<string> {
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

/** `proxyArchive` is a `docker save` of the proxy image, loaded into each host. */
export type BuiltImages = { proxy: string | null; proxyArchive: string | null; proxySkipped: string | null };

/** Builds (or finds cached) every lab image on the build daemon and pushes it to the registry. */
export async function buildImages(labDir: string, docker: Docker): Promise<BuiltImages> {
  const cacheFile = path.join(labDir, "cache", "images.json");
  const cache: Record<string, string> = fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, "utf8")) : {};
  const writer = await proxyContextWriter();
  try {
    // The app images build on the base, so it goes first.
    await buildOne(docker, baseBuild, cache);
    const builds = [...APP_VERSIONS.map((v) => appBuild(v, cache[BASE_IMAGE])), redisBuild];
    const proxyBuild = typeof writer === "string" ? null : proxyImage(writer);
    const [proxyHash] = await Promise.all([
      proxyBuild && buildOne(docker, proxyBuild, cache),
      ...builds.map((b) => buildOne(docker, b, cache)),
    ]);
    if (typeof writer === "string" || !proxyHash)
      return { proxy: null, proxyArchive: null, proxySkipped: `kamal-proxy stand-in not preloaded: ${writer}` };
    return { proxy: PROXY_IMAGE, proxyArchive: await proxyArchive(labDir, docker, proxyHash), proxySkipped: null };
  } finally {
    fs.writeFileSync(cacheFile, JSON.stringify(cache, null, 2));
  }
}

// The proxy image is ~100 MB (node and its libraries). Pushing it means gzipping it (about 20 s here), while
// `docker load` of an uncompressed archive into each host takes about a second, so it skips the registry.
const proxyImage = (writer: (dir: string) => Promise<void>): ImageBuild => ({
  tags: [PROXY_IMAGE],
  push: false,
  context: async (dir) => {
    await writer(dir);
    return dir;
  },
});

async function proxyArchive(labDir: string, docker: Docker, hash: string): Promise<string> {
  const archive = path.join(labDir, "cache", `kamal-proxy-${hash.slice(0, 16)}.tar`);
  if (fs.existsSync(archive)) return archive;
  for (const old of fs.readdirSync(path.dirname(archive)).filter((f) => /^kamal-proxy-.*\.tar$/.test(f)))
    fs.rmSync(path.join(path.dirname(archive), old));
  await docker(["save", "--output", `${archive}.tmp`, PROXY_IMAGE]);
  fs.renameSync(`${archive}.tmp`, archive);
  return archive;
}

/** Puts the proxy stand-in on a host under Kamal's default image name, so `kamal proxy boot` runs it unchanged. */
export async function preloadProxy(hostDocker: Docker, archive: string): Promise<void> {
  await hostDocker(["load", "--quiet", "--input", archive]);
}
