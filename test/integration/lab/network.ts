import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { BRIDGE, BRIDGE_ADDRESS, NAME_PREFIX } from "./settings.ts";

// The root namespace gets one bridge with the lab's first address; every lab node is a network namespace
// with a veth whose root end (named like the namespace) is a bridge port. No default route is ever added.

const ip = (...args: string[]) => execa("ip", args);

const FORWARD_RULE = ["FORWARD", "-i", BRIDGE, "-o", BRIDGE, "-j", "ACCEPT"];

export async function createBridge(): Promise<void> {
  await ip("link", "add", BRIDGE, "type", "bridge");
  await ip("addr", "add", `${BRIDGE_ADDRESS}/24`, "dev", BRIDGE);
  await ip("link", "set", BRIDGE, "up");
}

/** br_netfilter sends bridged frames through FORWARD, where a docker-style DROP policy would eat them. */
export async function allowBridgeForwarding(): Promise<void> {
  const exists = await execa("iptables", ["-C", ...FORWARD_RULE], { reject: false });
  if (exists.exitCode !== 0) await execa("iptables", ["-I", ...FORWARD_RULE]);
}

export async function removeBridgeForwarding(): Promise<void> {
  while ((await execa("iptables", ["-D", ...FORWARD_RULE], { reject: false })).exitCode === 0);
}

/** Creates netns `name` with eth0 at `address`/24 on the lab bridge. */
export async function createNode(name: string, address: string): Promise<void> {
  await ip("netns", "add", name);
  await ip("link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", name);
  await ip("link", "set", name, "master", BRIDGE, "up");
  await ip("-n", name, "addr", "add", `${address}/24`, "dev", "eth0");
  await ip("-n", name, "link", "set", "eth0", "up");
  await ip("-n", name, "link", "set", "lo", "up");
}

/** Lab namespaces and links left by any run, found by their name prefix. */
export async function leftovers(): Promise<{ namespaces: string[]; links: string[] }> {
  const ns = await execa("ip", ["netns", "list"], { reject: false });
  const links = await execa("ip", ["-o", "link", "show"], { reject: false });
  return {
    namespaces: ns.stdout.split("\n").map((l) => l.split(" ")[0] ?? "").filter((n) => n.startsWith(NAME_PREFIX)),
    links: links.stdout
      .split("\n")
      .map((l) => (l.split(": ")[1] ?? "").split("@")[0] ?? "")
      .filter((n) => n.startsWith(NAME_PREFIX) || n === BRIDGE),
  };
}

export async function removeNetwork(namespaces: readonly string[]): Promise<void> {
  const found = await leftovers();
  for (const ns of new Set([...namespaces, ...found.namespaces])) await ip("netns", "del", ns).catch(() => {});
  for (const link of found.links) await ip("link", "del", link).catch(() => {});
  await removeBridgeForwarding();
}

const CGROUP_ROOT = "/sys/fs/cgroup";

/**
 * Removes per-node cgroups (docker's --cgroup-parent) in every v1 controller, deepest first. The kernel frees
 * a cgroup a moment after its last process dies, so busy ones are retried for a short while.
 */
export async function removeCgroups(parents: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (removeCgroupsOnce(parents)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** True when none is left. */
function removeCgroupsOnce(parents: readonly string[]): boolean {
  let controllers: string[];
  try {
    controllers = fs.readdirSync(CGROUP_ROOT);
  } catch {
    return true;
  }
  let clean = true;
  for (const controller of controllers) {
    for (const parent of parents) clean = removeTree(path.join(CGROUP_ROOT, controller, parent)) && clean;
  }
  return clean;
}

function removeTree(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return true; // gone
  }
  for (const entry of entries) if (entry.isDirectory()) removeTree(path.join(dir, entry.name));
  try {
    fs.rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
