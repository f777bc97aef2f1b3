import type { LogSource, Reporter } from "../../src/output/reporter.ts";

/** A Reporter that keeps every event in memory, for asserting what executors report. */
export class MemoryReporter implements Reporter {
  readonly events: { type: string; host?: string; text: string }[] = [];
  step(title: string): void {
    this.events.push({ type: "step", text: title });
  }
  command(host: string, line: string): void {
    this.events.push({ type: "command", host, text: line });
  }
  output(host: string, text: string): void {
    this.events.push({ type: "output", host, text });
  }
  info(message: string, host?: string): void {
    this.events.push({ type: "info", host, text: message });
  }
  warn(message: string, host?: string): void {
    this.events.push({ type: "warn", host, text: message });
  }
  result(text: string): void {
    this.events.push({ type: "result", text });
  }
  planned(host: string, line: string): void {
    this.events.push({ type: "planned", host, text: line });
  }
  logLine(source: LogSource, line: string): void {
    this.events.push({ type: "log", host: source.host, text: line });
  }
  error(err: unknown): void {
    this.events.push({ type: "error", text: String(err) });
  }
  of(type: string, host?: string): string[] {
    return this.events.filter((e) => e.type === type && (host === undefined || e.host === host)).map((e) => e.text);
  }
}
