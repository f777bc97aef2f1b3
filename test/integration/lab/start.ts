import fs from "node:fs";
import path from "node:path";
import { dockerAt } from "./build.ts";
import { APP_REPO, APP_VERSIONS, BASE_IMAGE, buildImages, NODE_APP_REPO, REDIS_IMAGE } from "./images.ts";
import { preloadProxy } from "./proxy-image.ts";
import { allowBridgeForwarding, createBridge, createNode } from "./network.ts";
import { dockerSocket, startNode, type NodeSpec } from "./node.ts";
import { waitForNode } from "./readiness.ts";
import { preflight } from "./preflight.ts";
import { startRegistry, waitForRegistry } from "./registry.ts";
import {
  BUILDER_ADDRESS,
  DOCKER_BIN,
  hostAddress,
  hostName,
  NAME_PREFIX,
  REGISTRY,
  REGISTRY_ADDRESS,
  REGISTRY_NAME,
  REGISTRY_PORT,
} from "./settings.ts";
import { emptyResources, writeState, type Lab, type LabProcess, type LabState } from "./state.ts";
import { hostKeyPath, writeSshFiles } from "./ssh-files.ts";
import { startRelays } from "./latency-start.ts";
import { teardown } from "./teardown.ts";

export type StartOptions = {
  dir: string;
  hosts: number;
  /** Leave the lab running for later test runs (`npm run lab:up`); the test setup then reuses it. */
  keep: boolean;
  /** Relays with this round-trip time in front of every host's sshd (lab.latency), in a process of their own. */
  rttMs?: number;
  log?: (line: string) => void;
};

function etcHosts(hosts: readonly { name: string; address: string }[]): string {
  return [
    "127.0.0.1 localhost",
    "::1 localhost ip6-localhost ip6-loopback",
    `${REGISTRY_ADDRESS} ${REGISTRY_NAME}`,
    `${BUILDER_ADDRESS} builder.test`,
    ...hosts.map((h) => `${h.address} ${h.name}`),
    "",
  ].join("\n");
}

/** Starts a fresh lab in `dir`, first removing whatever an earlier run left there. */
export async function startLab(opts: StartOptions): Promise<Lab> {
  const log = opts.log ?? (() => {});
  preflight();
  await teardown(opts.dir);
  const state: LabState = {
    startedAt: new Date().toISOString(),
    ready: false,
    keep: opts.keep,
    lab: null,
    resources: emptyResources(),
  };
  const save = () => writeState(opts.dir, state);
  save();
  try {
    const lab = await bringUp(opts, state, save, log);
    state.lab = lab;
    state.ready = true;
    save();
    return lab;
  } catch (err) {
    await teardown(opts.dir).catch(() => {});
    throw err;
  }
}

async function bringUp(opts: StartOptions, state: LabState, save: () => void, log: (line: string) => void): Promise<Lab> {
  const { dir } = opts;
  const res = state.resources;
  const record = (p: LabProcess) => {
    res.processes.push(p);
    save();
  };
  const hosts = Array.from({ length: opts.hosts }, (_, i) => ({ name: hostName(i), address: hostAddress(i) }));
  const ssh = await writeSshFiles(dir, hosts);
  const authorizedKey = fs.readFileSync(`${ssh.keyPath}.pub`, "utf8");

  await createBridge();
  await allowBridgeForwarding();

  const nodeDir = (name: string) => path.join(dir, "nodes", name);
  const builder: NodeSpec = {
    name: `${NAME_PREFIX}builder`,
    hostname: "builder",
    address: BUILDER_ADDRESS,
    dir: nodeDir("builder"),
    dataRoot: path.join(dir, "cache", "builder-docker"),
    etcHosts: etcHosts(hosts),
    ssh: null,
  };
  const hostSpecs: NodeSpec[] = hosts.map((h) => ({
    name: `${NAME_PREFIX}${h.name}`,
    hostname: h.name,
    address: h.address,
    dir: nodeDir(h.name),
    dataRoot: path.join(nodeDir(h.name), "docker"),
    etcHosts: etcHosts(hosts),
    ssh: { hostKey: hostKeyPath(dir, h.name), authorizedKey },
  }));
  const registryNs = `${NAME_PREFIX}registry`;
  const dockerNodes = [builder, ...hostSpecs];
  res.namespaces.push(registryNs, ...dockerNodes.map((s) => s.name));
  res.cgroupParents.push(...dockerNodes.map((s) => s.name));
  save();
  await Promise.all([
    createNode(registryNs, REGISTRY_ADDRESS),
    ...dockerNodes.map((s) => createNode(s.name, s.address)),
  ]);

  const t0 = Date.now();
  startRegistry(dir, registryNs, record);
  const [builderProc, ...hostProcs] = await Promise.all(dockerNodes.map((spec) => startNode(spec, record)));
  await Promise.all([waitForRegistry(), waitForNode(builder, builderProc as LabProcess)]);
  log(`registry and build daemon up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  const t1 = Date.now();
  const images = await buildImages(dir, dockerAt(dockerSocket(builder.dir)));
  log(`images ready in ${((Date.now() - t1) / 1000).toFixed(1)}s`);
  if (images.proxySkipped) log(images.proxySkipped);

  await Promise.all(hostSpecs.map((spec, i) => waitForNode(spec, hostProcs[i] as LabProcess)));
  log(`${hosts.length} hosts up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const archive = images.proxyArchive;
  if (archive) {
    const t2 = Date.now();
    await Promise.all(hostSpecs.map((spec) => preloadProxy(dockerAt(dockerSocket(spec.dir)), archive)));
    log(`proxy image preloaded on every host in ${((Date.now() - t2) / 1000).toFixed(1)}s`);
  }
  const latency = opts.rttMs ? await startRelays(dir, opts.rttMs, hosts, record) : null;
  if (latency) log(`relays with a ${latency.rttMs} ms round trip at ${latency.hosts.map((h) => h.address).join(", ")}`);

  return {
    dir,
    hosts: hostSpecs.map((s) => ({
      name: s.hostname,
      address: s.address,
      dockerHost: `unix://${dockerSocket(s.dir)}`,
      home: path.join(s.dir, "root"),
    })),
    ssh: { user: "root", ...ssh },
    registry: { name: REGISTRY, local: `${REGISTRY_ADDRESS}:${REGISTRY_PORT}` },
    builder: { dockerHost: `unix://${dockerSocket(builder.dir)}`, dockerBin: DOCKER_BIN, address: BUILDER_ADDRESS },
    images: {
      base: BASE_IMAGE,
      app: APP_REPO,
      appVersions: APP_VERSIONS,
      nodeApp: NODE_APP_REPO,
      redis: REDIS_IMAGE,
      proxy: images.proxy,
      proxySkipped: images.proxySkipped,
      proxyArchive: images.proxyArchive,
    },
    latency,
  };
}
