import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { dockerSocket, type NodeSpec } from "./node.ts";
import { isAlive } from "./processes.ts";
import type { LabProcess } from "./state.ts";

// A node is ready when its dockerd answers /_ping on its socket and, for hosts, sshd sends its banner at the
// host's address. Both are probed directly (no docker or ssh process per probe), every 50 ms.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function dockerPing(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: "/_ping", timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

function sshBanner(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port: 22, timeout: 1000 });
    sock.once("data", (data) => {
      sock.destroy();
      resolve(data.toString().startsWith("SSH-2.0"));
    });
    sock.once("error", () => resolve(false));
    sock.once("timeout", () => {
      sock.destroy();
      resolve(false);
    });
  });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Waits until dockerd answers /_ping and, for hosts, sshd sends its banner; fails early if the node died. */
export async function waitForNode(spec: NodeSpec, proc: LabProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dockerUp = false;
  let sshUp = spec.ssh === null;
  while (Date.now() < deadline && isAlive(proc)) {
    dockerUp ||= await dockerPing(dockerSocket(spec.dir));
    sshUp ||= await sshBanner(spec.address);
    if (dockerUp && sshUp) return;
    await sleep(50);
  }
  const logs = ["boot.log", "dockerd.log", "sshd.log"]
    .map((f) => `--- ${f}\n${tail(path.join(spec.dir, f))}`)
    .join("\n");
  throw new Error(
    `lab node ${spec.hostname} ${isAlive(proc) ? `not ready after ${timeoutMs / 1000}s` : "exited"} (dockerd: ${dockerUp}, sshd: ${sshUp})\n${logs}`,
  );
}
