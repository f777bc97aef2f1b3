import type { ChalkInstance } from "chalk";
import type { LogSource } from "./reporter.ts";

/**
 * Label colours, given to sources in the order they are listed: the first ten hosts never share one, and the same
 * selection colours the same way on every run. Red stays out, since it means failure everywhere else.
 */
const PALETTE = ["cyan", "yellow", "green", "magenta", "blue", "cyanBright", "yellowBright", "greenBright", "magentaBright", "blueBright"] as const;

const keyOf = (source: LogSource): string => `${source.host}\0${source.name ?? ""}`;

/**
 * The `host | line` prefixes of log lines from several hosts: each label padded to the longest, so the lines
 * start in one column, and coloured on a terminal (the label says the same without colour). A label is the
 * host, or `host name` where one host has several sources (two roles, two accessories).
 */
export class LogPrefixes {
  readonly #chalk: ChalkInstance | undefined;
  readonly #labels = new Map<string, { text: string; paint: (s: string) => string }>();
  #width = 0;

  /** `chalk`: colours for the labels; none, plain labels */
  constructor(chalk?: ChalkInstance) {
    this.#chalk = chalk;
  }

  /** Learns the sources whose lines follow; sources seen later get a label of their own too. */
  declare(sources: readonly LogSource[]): void {
    const perHost = new Map<string, number>();
    for (const s of sources) perHost.set(s.host, (perHost.get(s.host) ?? 0) + 1);
    for (const s of sources) {
      if (this.#labels.has(keyOf(s))) continue;
      this.#add(s, (perHost.get(s.host) ?? 0) > 1 && s.name !== undefined ? `${s.host} ${s.name}` : s.host);
    }
  }

  /** `line` with its source's prefix: `10.0.0.1  | Started GET /`. */
  line(source: LogSource, line: string): string {
    const label = this.#labels.get(keyOf(source)) ?? this.#add(source, source.host);
    const prefix = `${label.paint(label.text)}${" ".repeat(this.#width - label.text.length)} |`;
    return line === "" ? prefix : `${prefix} ${line}`;
  }

  #add(source: LogSource, text: string) {
    const color = PALETTE[this.#labels.size % PALETTE.length] ?? "cyan";
    const chalk = this.#chalk;
    const label = { text, paint: (s: string) => (chalk ? chalk[color](s) : s) };
    this.#labels.set(keyOf(source), label);
    this.#width = Math.max(this.#width, text.length);
    return label;
  }
}
