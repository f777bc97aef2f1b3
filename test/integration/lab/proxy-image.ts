import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Docker, ImageBuild } from "./build.ts";

// The kamal-proxy stand-in's build context comes from proxy-standin/, which owns it. The lab builds it on the
// build daemon under Kamal's default image name and loads it into every host.

/** Kamal 2.12's default proxy image, which every lab host has under this exact name. */
export const PROXY_IMAGE = "basecamp/kamal-proxy:v0.9.2";

/** The proxy stand-in's context writer (proxy-standin/image/build-context.ts), or why it is unavailable. */
export async function proxyContextWriter(repoRoot: string): Promise<((dir: string) => Promise<void>) | string> {
  const file = path.join(repoRoot, "proxy-standin", "image", "build-context.ts");
  const name = path.relative(repoRoot, file);
  if (!fs.existsSync(file)) return `${name} does not exist`;
  const mod: Record<string, unknown> = await import(pathToFileURL(file).href);
  const write = mod.writeProxyImageContext;
  if (typeof write !== "function") return `${name} does not export writeProxyImageContext`;
  return async (dir: string) => {
    await write(dir);
  };
}

// The proxy image is ~100 MB (node and its libraries). Pushing it means gzipping it (about 20 s here), while
// `docker load` of an uncompressed archive into each host takes about a second, so it skips the registry.
export const proxyImage = (writer: (dir: string) => Promise<void>): ImageBuild => ({
  tags: [PROXY_IMAGE],
  push: false,
  context: async (dir) => {
    await writer(dir);
    return dir;
  },
});

export async function proxyArchive(labDir: string, docker: Docker, hash: string): Promise<string> {
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
