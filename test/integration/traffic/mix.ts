// The traffic mix: production-shaped load on every lab host's kamal-proxy while a sextant command runs.
// Per host: keep-alive GETs over HTTP and over HTTPS, 1 MB uploads sent slowly enough that some are on the wire
// at the switch, 2 s requests (within drain_timeout) always in flight, one request longer than any command
// (kamal-proxy ends it with a 504 when the drain runs out), and a websocket session held open, reopened whenever
// the proxy closes it. Every unit becomes a TrafficRecord; tally.ts turns them into the per-kind table.
import http from "node:http";
import https from "node:https";
import { send, type Endpoint, type Request } from "./endpoint.ts";
import { judgeAnswer, now, type Kind, type TrafficRecord } from "./record.ts";
import { websocketSession } from "./websocket.ts";

const UPLOAD_BYTES = 1024 * 1024;
// 1 MB in 16 pieces 100 ms apart: each upload is on the wire for 1.6 s, so with three of them always going one is
// well under way at any switch.
const UPLOAD_CHUNKS = 16;
const UPLOAD_PAUSE_MS = 100;
const SLOW_SECONDS = 2;
/** Longer than any command under the mix (and shorter than the test's response_timeout), so only a drain can end it. */
const PAST_DRAIN_SECONDS = 55;
// A client's pause between two units, and after one the app did not answer (a 503 page, a closed websocket).
const THINK_MS = 20;
const RETRY_AFTER_MS = 200;

export type MixOptions = {
  /** HTTPS kinds (HTTPS GET; the websocket goes over HTTPS too) need the proxy's certificate */
  readonly tls: boolean;
};

export type TrafficMix = {
  /** Lets every loop finish the unit it is on, waits for them (the long request included), returns every record. */
  stop(): Promise<TrafficRecord[]>;
};

export function startTrafficMix(endpoints: readonly Endpoint[], options: MixOptions): TrafficMix {
  const records: TrafficRecord[] = [];
  let stopping = false;
  const isStopping = () => stopping;
  const hosts: Promise<void>[] = [];

  for (const endpoint of endpoints) {
    const loops: Promise<unknown>[] = [];
    const plain = new http.Agent({ keepAlive: true });
    const secure = new https.Agent({ keepAlive: true });
    const request = async (kind: Kind, req: Request, check?: (body: string) => string | undefined): Promise<TrafficRecord> => {
      const startedAt = now();
      let record: TrafficRecord;
      try {
        const answer = await send(endpoint, req);
        record = { kind, host: endpoint.address, startedAt, endedAt: now(), ...judgeAnswer(answer.status, answer.body, check) };
      } catch (err) {
        record = { kind, host: endpoint.address, startedAt, endedAt: now(), outcome: "failed", error: (err as Error).message };
      }
      records.push(record);
      return record;
    };
    const repeat = async (unit: () => Promise<TrafficRecord>) => {
      while (!stopping) {
        const { outcome } = await unit();
        await new Promise((resolve) => setTimeout(resolve, outcome === "answered" ? THINK_MS : RETRY_AFTER_MS));
      }
    };
    const workers = (count: number, unit: () => Promise<TrafficRecord>) =>
      Array.from({ length: count }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 300)).then(() => repeat(unit)));

    const get = { method: "GET", path: "/", timeoutMs: 10_000 } as const;
    const upload: Request = {
      method: "POST", path: "/upload", agent: plain, tls: false, timeoutMs: 20_000,
      body: { chunks: Array.from({ length: UPLOAD_CHUNKS }, () => Buffer.alloc(UPLOAD_BYTES / UPLOAD_CHUNKS, 0x61)), pauseMs: UPLOAD_PAUSE_MS },
    };
    const uploadArrived = (body: string) => (body.includes(`bytes: ${UPLOAD_BYTES}\n`) ? undefined : `the app read ${/bytes: (\d+)/.exec(body)?.[1]} bytes`);

    loops.push(
      ...workers(1, () => request("keep-alive GET", { ...get, agent: plain, tls: false })),
      ...workers(3, () => request("upload 1 MB", upload, uploadArrived)),
      ...workers(3, () => request("slow 2 s", { ...get, path: `/sleep/${SLOW_SECONDS}`, agent: plain, tls: false })),
      request("past drain", { ...get, path: `/sleep/${PAST_DRAIN_SECONDS}`, agent: false, tls: false, timeoutMs: (PAST_DRAIN_SECONDS + 10) * 1000 }),
      repeat(async () => {
        const record = await websocketSession(endpoint, options.tls, isStopping);
        records.push(record);
        return record;
      }),
    );
    if (options.tls) loops.push(...workers(1, () => request("HTTPS GET", { ...get, agent: secure, tls: true })));
    hosts.push(Promise.all(loops).then(() => {
      plain.destroy();
      secure.destroy();
    }));
  }

  const running = Promise.all(hosts);
  return {
    async stop() {
      stopping = true;
      await running;
      return records;
    },
  };
}
