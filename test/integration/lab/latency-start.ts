// Starts latency-process.ts for a lab started with a round-trip time, and waits until every relay answers.
import { spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { relayAddress } from "./settings.ts";
import type { Lab, LabProcess } from "./state.ts";

const ENTRY = fileURLToPath(new URL("./latency-process.ts", import.meta.url));
// where `--import tsx` resolves from
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const READY_TIMEOUT_MS = 10_000;

export async function startRelays(
  dir: string, rttMs: number, hosts: readonly { name: string; address: string }[], record: (p: LabProcess) => void,
): Promise<NonNullable<Lab["latency"]>> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY, dir, String(rttMs), ...hosts.map((h) => h.address)], {
    cwd: ROOT,
    detached: true,
    stdio: "ignore",
  });
  if (child.pid === undefined) throw new Error("could not start the latency relays");
  record({ pid: child.pid, marker: dir, graceful: true });
  child.unref();
  const relayed = hosts.map((h, i) => ({ name: h.name, address: relayAddress(i) }));
  await Promise.all(relayed.map((h) => listening(h.address)));
  return { rttMs, hosts: relayed };
}

/** Resolves once something accepts connections on address:22. */
async function listening(address: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = net.connect(22, address, () => {
        socket.destroy();
        done(true);
      });
      socket.on("error", () => done(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the latency relay at ${address}:22 did not start within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
