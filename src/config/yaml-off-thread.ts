// Reads YAML nested too deep for the calling thread's stack on a worker thread started with a larger one, and
// waits for it, so parseYaml stays synchronous. Only such files get here: worker_threads takes ~5 ms to load, so
// it is required on first use rather than imported.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { MessagePort } from "node:worker_threads";
import { decodeRead, type WireRead } from "./yaml-wire.ts";
import type { YamlRead } from "./yaml-read.ts";

/** Set by scripts/build.mjs in the bundles, which have the worker's own bundle beside them (`./yaml-worker.cjs`). */
declare const SEXTANT_YAML_WORKER: string;

export type YamlWorkerInput = { readonly text: string; readonly maxDepth: number; readonly port: MessagePort; readonly done: Int32Array };
export type YamlWorkerReply = { readonly read: WireRead } | { readonly failure: string };

// The composer takes about 1 KB of stack per level; 16 MB leaves room many times over for the deepest read.
const STACK_SIZE_MB = 16;
// The deepest document sextant reads takes well under a second; this only stops a wait for a worker that died.
const TIMEOUT_MS = 10_000;

export function readYamlOffThread(text: string, maxDepth: number): YamlRead {
  const { MessageChannel, receiveMessageOnPort, Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1: replies, port2: port } = new MessageChannel();
  const input: YamlWorkerInput = { text, maxDepth, port, done };
  const [script, mode] = workerEntry();
  const worker = new Worker(script, { ...mode, workerData: input, transferList: [port], resourceLimits: { stackSizeMb: STACK_SIZE_MB } });
  // What goes wrong in the worker reaches the caller as its reply, or as no reply; unheard, an error event would
  // end the process.
  worker.on("error", () => {});
  try {
    Atomics.wait(done, 0, 0, TIMEOUT_MS);
    const reply = receiveMessageOnPort(replies)?.message as YamlWorkerReply | undefined;
    if (reply === undefined) throw new Error(`the YAML worker thread gave no answer within ${TIMEOUT_MS / 1000} s`);
    if ("failure" in reply) throw new Error(`the YAML worker thread failed: ${reply.failure}`);
    return decodeRead(reply.read);
  } finally {
    replies.close();
    worker.unref();
    void worker.terminate();
  }
}

/** The worker's script: the bundled one beside a bundle, else the TypeScript source through tsx (tests, dev runs). */
function workerEntry(): [string | URL, { eval?: boolean }] {
  if (typeof SEXTANT_YAML_WORKER === "string") {
    const bundled = new URL(SEXTANT_YAML_WORKER, import.meta.url);
    // A worker whose script is missing fails after the caller started waiting; say so at once instead.
    if (!existsSync(bundled)) throw new Error(`${fileURLToPath(bundled)} is missing: sextant's package is incomplete`);
    return [bundled, {}];
  }
  // tsx's own registration of its module hooks (a worker's execArgv cannot carry `--import tsx` on Node 20); a
  // failure to load is posted like any other, so the caller does not wait out the timeout.
  const tsx = tsxModule("./esm/api");
  const source = new URL("./yaml-worker.ts", import.meta.url).href;
  return [`const { workerData: { port, done } } = require("node:worker_threads");
    import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); }).catch((err) => {
      port.postMessage({ failure: String(err?.stack ?? err) });
      Atomics.store(done, 0, 1);
      Atomics.notify(done, 0);
    });`, { eval: true }];
}

/** The file URL of one of tsx's ESM entry points, from its package.json exports (require() resolves the CommonJS ones). */
function tsxModule(entry: string): string {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const exports = (JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(manifest), exports[entry]!.import.default)).href;
}
