// Ships log records to an OTLP/HTTP collector the way Kamal does (kamal lib/kamal/otel_shipper.rb): buffered,
// sent every 5 seconds or as soon as 100 are waiting, 100 per POST, the rest sent when the run ends. The collector
// being down never fails the run: the first failure is said once, later ones silently drop their records.
import { logsPayload, type Attribute, type LogRecord } from "./otel-records.ts";

export type ShipperOptions = {
  /** the collector's base URL; records go to `<endpoint>/v1/logs` */
  readonly endpoint: string;
  readonly resource: readonly Attribute[];
  readonly scope: { readonly name: string; readonly version: string };
  /** told the first failure, once */
  readonly warn: (message: string) => void;
  /** fetch, or a stand-in in tests */
  readonly post?: typeof fetch;
  readonly batchSize?: number;
  readonly intervalMs?: number;
  /** per POST: Kamal allows 2 s to connect and 5 s for the answer */
  readonly timeoutMs?: number;
};

export class OtelShipper {
  readonly url: string;
  readonly #o: ShipperOptions;
  readonly #batchSize: number;
  readonly #timer: NodeJS.Timeout;
  #buffer: LogRecord[] = [];
  /** flushes run one after another, each taking what is buffered when it starts */
  #flushing: Promise<void> = Promise.resolve();
  #failed = false;

  constructor(o: ShipperOptions) {
    this.#o = o;
    this.url = `${o.endpoint.endsWith("/") ? o.endpoint.slice(0, -1) : o.endpoint}/v1/logs`;
    this.#batchSize = o.batchSize ?? 100;
    this.#timer = setInterval(() => void this.flush(), o.intervalMs ?? 5_000);
    // A run that is over must not wait for the next tick.
    this.#timer.unref();
  }

  /** Whether every record so far reached the collector. */
  get delivered(): boolean {
    return !this.#failed;
  }

  append(record: LogRecord): void {
    this.#buffer.push(record);
    if (this.#buffer.length === this.#batchSize) void this.flush();
  }

  /** Never rejects: the timer calls it unawaited, and nothing the collector does may fail the run. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing
      .then(() => {
        const records = this.#buffer;
        this.#buffer = [];
        return this.#ship(records);
      })
      .catch((err: unknown) => this.#fail(failure(err)));
    return this.#flushing;
  }

  /** Stops the timer and sends what is left. */
  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #ship(records: readonly LogRecord[]): Promise<void> {
    const post = this.#o.post ?? fetch;
    for (let i = 0; i < records.length; i += this.#batchSize) {
      const body = JSON.stringify(logsPayload(this.#o.resource, this.#o.scope, records.slice(i, i + this.#batchSize)));
      let response: Response;
      try {
        response = await post(this.url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
          signal: AbortSignal.timeout(this.#o.timeoutMs ?? 7_000),
        });
      } catch (err) {
        // As in Kamal, a collector that cannot be reached loses this flush's records, not the next one's.
        return this.#fail(failure(err));
      }
      if (!response.ok) this.#fail(`HTTP ${response.status} ${response.statusText}`);
      await response.body?.cancel();
    }
  }

  #fail(why: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#o.warn(`OTel log shipping failed: ${why}`);
  }
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4318`: fetch's own error only says "fetch failed". */
function failure(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  // Node tries each address of a name in turn, and reports all their failures in one AggregateError.
  const first = cause instanceof AggregateError ? (cause.errors as unknown[]).find((e) => e instanceof Error) : undefined;
  const message = cause.message || (first instanceof Error ? first.message : "");
  const code = (cause as { code?: unknown }).code;
  return `${typeof code === "string" ? code : cause.name}: ${message}`;
}
