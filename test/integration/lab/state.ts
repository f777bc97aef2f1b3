import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// state.json is both the description tests read (`lab`) and the teardown inventory (`resources`). It is
// rewritten after every resource is created, so a crash at any point leaves enough behind to clean up.

const hostSchema = z.object({
  name: z.string(),
  address: z.string(),
  /** The host's dockerd socket as seen from this machine, for quick assertions without ssh. */
  dockerHost: z.string(),
  /** The host's /root (where Kamal's relative `.kamal/...` paths land) as seen from this machine. */
  home: z.string(),
});

export const labSchema = z.object({
  dir: z.string(),
  hosts: z.array(hostSchema),
  ssh: z.object({
    user: z.literal("root"),
    keyPath: z.string(),
    configPath: z.string(),
    knownHostsPath: z.string(),
  }),
  registry: z.object({
    /** How hosts and the build daemon name the registry (their /etc/hosts maps it). */
    name: z.string(),
    /** The same registry as reachable from this machine's root namespace. */
    local: z.string(),
  }),
  builder: z.object({
    /** DOCKER_HOST of the build daemon: `docker build` and `docker push` go here. */
    dockerHost: z.string(),
    dockerBin: z.string(),
    address: z.string(),
  }),
  images: z.object({
    /** FROM-scratch base with busybox and tini; present on the build daemon (fixtures/sample-app builds on it). */
    base: z.string(),
    /** Sample app repository in the registry, tagged with each of appVersions (label service=sample-app). */
    app: z.string(),
    appVersions: z.array(z.string()),
    /** The sample app's Node mode (fixtures/sample-app/node), same versions and label; absent in labs started before it. */
    nodeApp: z.string().nullable().default(null),
    /** Redis accessory image in the registry. */
    redis: z.string(),
    /** kamal-proxy stand-in as tagged on every host, or null when proxy-standin/ could not be built. */
    proxy: z.string().nullable(),
    /** Why proxy is null. */
    proxySkipped: z.string().nullable(),
    /** `docker save` archive of the proxy image (what hosts were preloaded from), or null. */
    proxyArchive: z.string().nullable().default(null),
  }),
  /** Relays with this round-trip time in front of every host's sshd (startLab's rttMs); null without. */
  latency: z.object({
    rttMs: z.number(),
    /** the hosts as reached through their relays: `address` is the relay's (127.213.0.N) */
    hosts: z.array(z.object({ name: z.string(), address: z.string() })),
  }).nullable().default(null),
});
export type Lab = z.infer<typeof labSchema>;

const processSchema = z.object({
  pid: z.number().int(),
  /** A path inside the lab directory that the process's command line contains. */
  marker: z.string(),
  /** Lab hosts are thrown away, so they are killed outright; the build daemon keeps its cache, so it gets TERM. */
  graceful: z.boolean().default(true),
});
export type LabProcess = z.infer<typeof processSchema>;

// The bridge, its links and the FORWARD rule have fixed names, so teardown removes them without an inventory.
export const resourcesSchema = z.object({
  namespaces: z.array(z.string()),
  cgroupParents: z.array(z.string()),
  processes: z.array(processSchema),
});
export type Resources = z.infer<typeof resourcesSchema>;

const stateSchema = z.object({
  startedAt: z.string(),
  ready: z.boolean(),
  /** Started by `npm run lab:up`: test runs reuse it and leave it running. */
  keep: z.boolean(),
  lab: labSchema.nullable(),
  resources: resourcesSchema,
});
export type LabState = z.infer<typeof stateSchema>;

export function statePath(dir: string): string {
  return path.join(dir, "state.json");
}

export function readState(dir: string): LabState | null {
  let text: string;
  try {
    text = fs.readFileSync(statePath(dir), "utf8");
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const full = stateSchema.safeParse(json);
  if (full.success) return full.data;
  // Written by another version of the lab: not usable as a description, but its inventory still is.
  const partial = z.object({ resources: resourcesSchema }).safeParse(json);
  if (!partial.success) return null;
  return { startedAt: "", ready: false, keep: false, lab: null, resources: partial.data.resources };
}

export function writeState(dir: string, state: LabState): void {
  const file = statePath(dir);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export function emptyResources(): Resources {
  return { namespaces: [], cgroupParents: [], processes: [] };
}
