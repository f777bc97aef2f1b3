import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REGISTRY_ADDRESS, REGISTRY_PORT } from "./settings.ts";
import type { LabProcess } from "./state.ts";

// Debian's docker-registry (distribution 2.8), plain HTTP without auth, in its own network namespace.
// Its storage sits in the cache so pushed images survive teardown and unchanged images are not pushed again.

export const registryUrl = `http://${REGISTRY_ADDRESS}:${REGISTRY_PORT}`;

export function startRegistry(
  dir: string,
  netns: string,
  record: (p: LabProcess) => void,
): void {
  const storage = path.join(dir, "cache", "registry");
  fs.mkdirSync(storage, { recursive: true });
  const runDir = path.join(dir, "nodes", "registry");
  fs.mkdirSync(runDir, { recursive: true });
  const config = path.join(runDir, "config.yml");
  fs.writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${storage}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 0.0.0.0:${REGISTRY_PORT}`,
      "",
    ].join("\n"),
  );
  const log = fs.openSync(path.join(runDir, "registry.log"), "a");
  const child = spawn("nsenter", [`--net=/run/netns/${netns}`, "--", "docker-registry", "serve", config], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error("could not start the lab registry");
  child.unref();
  // nsenter execs the registry, so this PID is the registry itself.
  record({ pid: child.pid, marker: config, graceful: true });
}

export async function waitForRegistry(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${registryUrl}/v2/`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`lab registry not answering at ${registryUrl}/v2/ after ${timeoutMs / 1000}s`);
}

/** Whether `repo:tag` is in the registry (the cache check before a push). */
export async function hasManifest(repo: string, tag: string): Promise<boolean> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" },
  }).catch(() => null);
  return res?.ok ?? false;
}
