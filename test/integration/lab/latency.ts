// A chosen round-trip time between sextant and each lab host's sshd. The kernel here has no netem, so every host
// gets a user-space TCP relay in this process: it listens on 127.213.0.N:22 (in front of the host's 10.213.0.N)
// and holds every chunk for RTT/2 in each direction, in order. The lab's known_hosts and ssh_config name these
// addresses too (ssh-files.ts), so a deploy.yml that lists them reaches the hosts through the relays. Each relay
// also counts the round trips the client waited for (see `turns`).
import net from "node:net";
import { relayAddress } from "./settings.ts";
import { writeSshFiles } from "./ssh-files.ts";
import type { Lab } from "./state.ts";

export type Latency = {
  readonly rttMs: number;
  /** the lab's hosts as reached through their relays: `address` is the relay's */
  readonly hosts: readonly { readonly name: string; readonly address: string }[];
  /**
   * When the client started each round trip it waited for on a host's connections (epoch ms, keyed by relay
   * address): a burst of client bytes after bytes from the server, counted once the server answers it (so the
   * closing disconnect is not one). Bursts less than RTT/2 after the last counted one are the same round trip:
   * their answers could not have arrived in between, so they ran concurrently (two channels opening at once).
   * Over a 0 ms link every answered burst counts.
   */
  turns(address: string): readonly number[];
  /** Forgets the turns counted so far. */
  reset(): void;
  stop(): Promise<void>;
};

/** Starts a relay in front of every host of `lab`; rttMs 0 relays without delay (the count still works). */
export async function startLatency(lab: Lab, rttMs: number): Promise<Latency> {
  // a lab started before the relays existed lacks their addresses in known_hosts and ssh_config
  await writeSshFiles(lab.dir, lab.hosts);
  const relays = await relayHosts(lab.hosts.map((h) => h.address), rttMs);
  return { ...relays, rttMs, hosts: lab.hosts.map((h, i) => ({ name: h.name, address: relayAddress(i) })) };
}

/**
 * A relay at relayAddress(i) in front of port 22 of each of `addresses` (the i-th lab host's), delaying RTT/2 each
 * way; also what a lab started with a round-trip time runs in a process of its own (latency-process.ts).
 */
export async function relayHosts(addresses: readonly string[], rttMs: number): Promise<Pick<Latency, "turns" | "reset" | "stop">> {
  const half = rttMs / 2;
  const turns = new Map<string, number[]>();
  const count = (address: string, at: number) => {
    const seen = turns.get(address) ?? [];
    const last = seen.at(-1);
    if (last === undefined || at - last >= half) turns.set(address, [...seen, at]);
  };
  const sockets = new Set<net.Socket>();
  const servers: net.Server[] = [];
  try {
    for (const [i, hostAddress] of addresses.entries()) {
      const address = relayAddress(i);
      const server = net.createServer((client) => relay(client, hostAddress, half, sockets, (at) => count(address, at)));
      await new Promise<void>((ok, fail) => {
        server.once("error", (err: NodeJS.ErrnoException) =>
          fail(err.code === "EADDRINUSE" ? new Error(`${address}:22 is taken: a lab started with a round-trip time relays there already`) : err));
        server.listen(22, address, ok);
      });
      servers.push(server);
    }
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    throw err;
  }
  return {
    turns: (address) => turns.get(address) ?? [],
    reset: () => turns.clear(),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    },
  };
}

/**
 * One relayed connection. The upstream connect waits RTT/2, so the server's banner arrives a full RTT after the
 * client connected, as over a real link (the client's own bytes queue in the socket until then).
 */
function relay(client: net.Socket, hostAddress: string, half: number, sockets: Set<net.Socket>, onTurn: (at: number) => void): void {
  sockets.add(client);
  let upstream: net.Socket | undefined;
  // the client's next bytes start a turn once the server's last ones reached it; the turn counts once answered
  let awaitingClient = true;
  let pending: number | undefined;
  const later = (work: () => void) => (half > 0 ? setTimeout(work, half) : setImmediate(work));
  later(() => {
    upstream = net.connect(22, hostAddress);
    sockets.add(upstream);
    upstream.setNoDelay(true);
    upstream.on("data", (chunk) => later(() => {
      client.write(chunk);
      if (pending !== undefined) onTurn(pending);
      pending = undefined;
      awaitingClient = true;
    }));
    upstream.on("end", () => later(() => client.end()));
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => sockets.delete(upstream as net.Socket));
  });
  client.setNoDelay(true);
  client.on("data", (chunk) => {
    if (awaitingClient) pending = Date.now();
    awaitingClient = false;
    later(() => upstream?.write(chunk));
  });
  client.on("end", () => later(() => upstream?.end()));
  client.on("error", () => upstream?.destroy());
  client.on("close", () => {
    sockets.delete(client);
    later(() => upstream?.destroy());
  });
}
