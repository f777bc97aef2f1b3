// A websocket session through the proxy with Node built-ins: the RFC 6455 handshake, masked text frames out,
// the sample app's echoes ("<version> <message>") back, one message at a time, until the mix stops (then a close
// handshake) or the connection ends without a close frame, which is how kamal-proxy ends a hijacked connection
// when its target drains (it closes both sockets; no close frame is sent).
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import { portOf, type Endpoint } from "./endpoint.ts";
import { now, type TrafficRecord } from "./record.ts";

const MESSAGE_EVERY_MS = 200;
const ECHO_TIMEOUT_MS = 5000;

export async function websocketSession(endpoint: Endpoint, tls: boolean, stopping: () => boolean): Promise<TrafficRecord> {
  const startedAt = now();
  const record = (fields: Pick<TrafficRecord, "outcome" | "version" | "error">): TrafficRecord =>
    ({ kind: "websocket", host: endpoint.address, startedAt, endedAt: now(), ...fields });
  let opened: { socket: Duplex; head: Buffer } | { status: number; body: string };
  try {
    opened = await handshake(endpoint, tls);
  } catch (err) {
    return record({ outcome: "failed", error: `handshake: ${(err as Error).message}` });
  }
  if (!("socket" in opened)) {
    if (opened.status === 503) return record({ outcome: "503" });
    return record({ outcome: "failed", error: `handshake: HTTP ${opened.status}: ${opened.body.trim().slice(0, 200)}` });
  }
  const frames = new FrameReader(opened.socket, opened.head);
  let version: string | undefined;
  for (let n = 1; !stopping(); n++) {
    opened.socket.write(maskedFrame(0x1, Buffer.from(`message ${n}`)));
    const frame = await frames.next(ECHO_TIMEOUT_MS);
    if (frame === "ended") return record({ outcome: "closed", version });
    if (frame === "timeout") return record({ outcome: "failed", version, error: `no echo of message ${n}` });
    const echo = /^(\S+) message (\d+)$/.exec(frame.payload.toString("utf8"));
    if (frame.opcode !== 0x1 || echo === null || echo[2] !== String(n))
      return record({ outcome: "failed", version, error: `unexpected frame ${frame.opcode}: ${frame.payload.toString("utf8")}` });
    if (version !== undefined && echo[1] !== version)
      return record({ outcome: "failed", version, error: `one session answered by ${version} and then ${echo[1]}` });
    version = echo[1];
    await new Promise((resolve) => setTimeout(resolve, MESSAGE_EVERY_MS));
  }
  opened.socket.write(maskedFrame(0x8, Buffer.alloc(0)));
  const reply = await frames.next(ECHO_TIMEOUT_MS);
  opened.socket.destroy();
  if (reply === "ended") return record({ outcome: "closed", version });
  if (reply === "timeout" || reply.opcode !== 0x8) return record({ outcome: "failed", version, error: "no close frame in reply to ours" });
  return record({ outcome: "answered", version });
}

function handshake(endpoint: Endpoint, tls: boolean): Promise<{ socket: Duplex; head: Buffer } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: endpoint.address,
      port: portOf(endpoint, tls),
      path: "/ws",
      agent: false,
      headers: {
        Host: endpoint.hostName, Connection: "Upgrade", Upgrade: "websocket",
        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
      },
      timeout: ECHO_TIMEOUT_MS,
      ...(tls ? { servername: endpoint.hostName, ca: endpoint.ca } : {}),
    };
    const req = (tls ? https : http).request(options);
    req.on("upgrade", (_res, socket, head) => {
      req.setTimeout(0);
      resolve({ socket, head });
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("no handshake answer")));
    req.on("error", reject);
    req.end();
  });
}

type Frame = { opcode: number; payload: Buffer };

/** Server frames (never masked) from a socket, one at a time; "ended" once the socket ends or errors. */
class FrameReader {
  #pending: Buffer;
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(socket: Duplex, head: Buffer) {
    this.#pending = head;
    socket.on("data", (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      this.#wake?.();
    });
    const end = () => {
      this.#ended = true;
      this.#wake?.();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
  }

  async next(timeoutMs: number): Promise<Frame | "ended" | "timeout"> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.#take();
      if (frame !== undefined) return frame;
      if (this.#ended) return "ended";
      const left = deadline - Date.now();
      if (left <= 0) return "timeout";
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  #take(): Frame | undefined {
    const buf = this.#pending;
    if (buf.length < 2) return undefined;
    const short = (buf[1] ?? 0) & 0x7f;
    const offset = short === 126 ? 4 : short === 127 ? 10 : 2;
    if (buf.length < offset) return undefined;
    const length = short === 126 ? buf.readUInt16BE(2) : short === 127 ? Number(buf.readBigUInt64BE(2)) : short;
    if (buf.length < offset + length) return undefined;
    this.#pending = buf.subarray(offset + length);
    return { opcode: (buf[0] ?? 0) & 0x0f, payload: buf.subarray(offset, offset + length) };
  }
}

/** A client frame: final, masked with a random key (RFC 6455 §5.3), payloads under 126 bytes. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}
