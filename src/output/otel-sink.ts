// output.otel: the run's log as OTLP/HTTP log records, with a record when the run starts and one when it ends
// (kamal lib/kamal/output/otel_logger.rb).
import type { LogLine } from "./log-lines.ts";
import { fullCommand, runtime, type LogSink, type LoggedRun, type RunEnd } from "./log-sink.ts";
import { double, eventRecord, lineRecord, resourceAttributes, text, type Attribute, type RunTags } from "./otel-records.ts";
import { OtelShipper } from "./otel-shipper.ts";

export type OtelSinkOptions = {
  readonly endpoint: string;
  readonly run: LoggedRun;
  readonly tags: RunTags;
  /** this run's id (`kamal.run_id`, and `deployment.id` of a deploy) */
  readonly runId: string;
  /** the Kamal release sextant follows (`service.version`) and sextant's own (the scope's) */
  readonly versions: { readonly kamal: string; readonly sextant: string };
  readonly now: () => Date;
  readonly warn: (message: string) => void;
  readonly post?: typeof fetch;
};

// Kamal marks these runs as deployments (OtelLogger::DEPLOY_COMMANDS).
const DEPLOY_COMMANDS = new Set(["deploy", "redeploy", "rollback", "setup"]);

export class OtelSink implements LogSink {
  readonly #o: OtelSinkOptions;
  readonly #shipper: OtelShipper;

  constructor(o: OtelSinkOptions) {
    this.#o = o;
    this.#shipper = new OtelShipper({
      endpoint: o.endpoint,
      resource: resourceAttributes(o.tags, o.runId, o.versions.kamal),
      scope: { name: "sextant", version: o.versions.sextant },
      warn: o.warn,
      post: o.post,
    });
    this.#event("kamal.start", "info", [text("kamal.command", fullCommand(o.run)), ...this.#deployment()]);
  }

  write(line: LogLine): void {
    this.#shipper.append(lineRecord(line, this.#o.now()));
  }

  /**
   * Sends what is left and waits for it (each POST gives up after 7 s). Says "Logs sent to" only when every record
   * arrived; Kamal says it before trying.
   */
  async finish(end: RunEnd): Promise<string | undefined> {
    const common = [text("kamal.command", fullCommand(this.#o.run)), double("kamal.runtime", runtime(end))];
    if (end.error) {
      const exception = [text("exception.type", end.error.type), text("exception.message", end.error.message)];
      this.#event("kamal.failed", "error", [...common, ...exception, ...this.#deployment("failed")]);
    } else {
      this.#event("kamal.complete", "info", [...common, ...this.#deployment("succeeded")]);
    }
    await this.#shipper.shutdown();
    return this.#shipper.delivered ? `Logs sent to ${this.#o.endpoint}` : undefined;
  }

  #event(name: string, severity: "info" | "error", attributes: readonly Attribute[]): void {
    this.#shipper.append(eventRecord(name, severity, attributes, this.#o.now()));
  }

  /** A deploy's id, name (`deploy app`) and, once over, its status, under OpenTelemetry's deployment keys. */
  #deployment(status?: "succeeded" | "failed"): Attribute[] {
    const { run, runId, tags } = this.#o;
    if (!DEPLOY_COMMANDS.has(run.command)) return [];
    const attributes = [text("deployment.id", runId), text("deployment.name", `${fullCommand(run)} ${tags.service}`)];
    return status === undefined ? attributes : [...attributes, text("deployment.status", status)];
  }
}
