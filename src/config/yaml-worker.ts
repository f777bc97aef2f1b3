// The entry of the worker thread yaml-off-thread.ts starts (bundled as dist/yaml-worker.cjs): reads the text it is
// given on this thread's larger stack, posts the result, and wakes the caller, which waits on `done`.
import { workerData } from "node:worker_threads";
import type { YamlWorkerInput, YamlWorkerReply } from "./yaml-off-thread.ts";
import { readYaml } from "./yaml-read.ts";
import { encodeRead } from "./yaml-wire.ts";

const { text, maxDepth, port, done } = workerData as YamlWorkerInput;
let reply: YamlWorkerReply;
try {
  reply = { read: encodeRead(readYaml(text, maxDepth)) };
} catch (err) {
  reply = { failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
port.postMessage(reply);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
