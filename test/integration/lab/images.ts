import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { buildOne, type Docker, type ImageBuild } from "./build.ts";
import { copyWithLibraries } from "./libraries.ts";
import { PROXY_IMAGE, proxyArchive, proxyContextWriter, proxyImage } from "./proxy-image.ts";
import { REGISTRY } from "./settings.ts";

// The lab's images, all FROM scratch and built on the build daemon: the busybox base, the sample app (v1, v2) in
// its busybox and Node modes, and redis go to the registry; the proxy stand-in is loaded into hosts from an archive.

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const IMAGES_DIR = path.join(REPO_ROOT, "test", "integration", "images");

export const BASE_IMAGE = "sextant-lab/base:1";
export const APP_REPO = `${REGISTRY}/sextant-lab/sample-app`;
export const APP_VERSIONS = ["v1", "v2"];
export const NODE_BASE_IMAGE = "sextant-lab/node:1";
/** The sample app's Node mode (keep-alive, uploads, websockets), same label and versions as APP_REPO. */
export const NODE_APP_REPO = `${REGISTRY}/sextant-lab/sample-app-node`;
export const REDIS_IMAGE = `${REGISTRY}/sextant-lab/redis:7`;

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

// node is ~100 MB: the first push gzips it once (about 20 s); the registry's storage is cached, so later pushes
// of the app versions built on it only send their small top layer.
const nodeBaseBuild = (baseHash: string | undefined): ImageBuild => ({
  tags: [NODE_BASE_IMAGE],
  push: false,
  salt: baseHash,
  context: async (dir) => {
    fs.copyFileSync(path.join(IMAGES_DIR, "node", "Dockerfile"), path.join(dir, "Dockerfile"));
    await copyWithLibraries(fs.realpathSync(process.execPath), path.join(dir, "rootfs"));
    return dir;
  },
});

const nodeAppBuild = (version: string, nodeBaseHash: string | undefined): ImageBuild => ({
  tags: [`${NODE_APP_REPO}:${version}`],
  push: true,
  salt: nodeBaseHash,
  buildArgs: { APP_VERSION: version },
  labels: { service: "sample-app" },
  context: async () => path.join(REPO_ROOT, "fixtures", "sample-app", "node"),
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

/** Input hash of the last build, by the image's tags. */
const cacheSchema = z.record(z.string(), z.string());

/** `proxyArchive` is a `docker save` of the proxy image, loaded into each host. */
export type BuiltImages = { proxy: string | null; proxyArchive: string | null; proxySkipped: string | null };

/** Builds (or finds cached) every lab image on the build daemon and pushes it to the registry. */
export async function buildImages(labDir: string, docker: Docker): Promise<BuiltImages> {
  const cacheFile = path.join(labDir, "cache", "images.json");
  const cache = fs.existsSync(cacheFile) ? cacheSchema.parse(JSON.parse(fs.readFileSync(cacheFile, "utf8"))) : {};
  const writer = await proxyContextWriter(REPO_ROOT);
  try {
    // The app images build on the base, so it goes first.
    await buildOne(docker, baseBuild, cache);
    await buildOne(docker, nodeBaseBuild(cache[BASE_IMAGE]), cache);
    const builds = [
      ...APP_VERSIONS.map((v) => appBuild(v, cache[BASE_IMAGE])),
      ...APP_VERSIONS.map((v) => nodeAppBuild(v, cache[NODE_BASE_IMAGE])),
      redisBuild,
    ];
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

