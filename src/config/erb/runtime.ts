// The object (`$rb`) that translated templates call. It holds the process environment ERB sees, runs backtick
// commands through the injected shell, reads files relative to the working directory, and collects the output
// together with the template line each piece came from, so YAML errors can point at the template's lines.
import { readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import * as methods from "./ruby-methods.ts";
import * as ruby from "./ruby-values.ts";
import type { Segment } from "./scan.ts";

export type CaptureResult = { readonly stdout: string; readonly stderr: string; readonly code: number };
/** Runs one line of shell text locally with /bin/sh -c (src/exec/local.ts `shellCapture` has this shape). */
export type ShellCapture = (
  command: string,
  opts: { cwd: string; env: Readonly<Record<string, string | undefined>> },
) => Promise<CaptureResult>;

export type RuntimeOptions = {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly shell: ShellCapture;
  /** `Kamal::Utils.docker_arch`; defaults to this machine's architecture */
  readonly arch: string;
};

/** A command in backticks or %x() exited non-zero; Ruby would carry on with its output, we stop. */
export class CommandFailed extends Error {
  readonly result: CaptureResult;
  readonly command: string;
  constructor(command: string, result: CaptureResult) {
    super(`\`${command}\` exited ${result.code}`);
    this.command = command;
    this.result = result;
  }
}

export class KeyNotFound extends ruby.RubyError {
  readonly key: string;
  constructor(key: string) {
    super(`key not found: ${JSON.stringify(key)}`);
    this.key = key;
  }
}

type Chunk = { readonly start: number; readonly line: number; readonly text: string; readonly fromTemplate: boolean; readonly tag: number };

export class Runtime {
  /** Index of the tag being run, for error messages. */
  at = -1;
  /** ENV as the template sees it; Dotenv.load adds to it, as it does to Ruby's ENV. */
  readonly #env: Record<string, string | undefined>;
  readonly #segments: readonly Segment[];
  readonly #options: RuntimeOptions;
  readonly #chunks: Chunk[] = [];
  #length = 0;

  constructor(segments: readonly Segment[], options: RuntimeOptions) {
    this.#segments = segments;
    this.#options = options;
    this.#env = { ...options.env };
  }

  readonly t = ruby.truthy;
  readonly s = ruby.toS;
  readonly eq = ruby.equal;
  readonly plus = ruby.plus;
  readonly op = ruby.op;
  readonly index = ruby.index;
  readonly integer = ruby.integer;
  readonly range = ruby.range;
  readonly iterate = methods.iterate;

  send(recv: unknown, name: string, args: unknown[], block: ((...a: unknown[]) => Promise<unknown>) | undefined, safe: boolean): Promise<unknown> {
    if (safe && (recv === null || recv === undefined)) return Promise.resolve(null);
    return methods.send(recv, name, args, block);
  }

  /** Ruby's `rescue` modifier catches StandardError: our Ruby errors, not failed commands or bugs. */
  async rescue(body: () => Promise<unknown>, fallback: () => Promise<unknown>): Promise<unknown> {
    try {
      return await body();
    } catch (err) {
      if (err instanceof ruby.RubyError) return fallback();
      throw err;
    }
  }

  text(i: number): void {
    const segment = this.#segments[i];
    if (segment?.kind === "text") this.#push(segment.text, segment.line, true);
  }

  out(value: unknown): void {
    const segment = this.#segments[this.at];
    this.#push(ruby.toS(value), segment?.line ?? 1, false);
  }

  env(name: unknown): string | null {
    return this.#env[String(name)] ?? null;
  }

  envHas(name: unknown): boolean {
    return this.#env[String(name)] !== undefined;
  }

  async envFetch(name: unknown, defaults: unknown[], block: (() => Promise<unknown>) | undefined): Promise<unknown> {
    const value = this.#env[String(name)];
    if (value !== undefined) return value;
    if (block) return block();
    if (defaults.length > 0) return defaults[0];
    throw new KeyNotFound(String(name));
  }

  fileRead(path: unknown): string {
    const full = resolve(this.#options.cwd, String(path));
    try {
      return readFileSync(full, "utf8");
    } catch {
      throw new ruby.RubyError(`No such file or directory @ rb_sysopen - ${String(path)}`);
    }
  }

  fileExists(path: unknown): boolean {
    return existsSync(resolve(this.#options.cwd, String(path)));
  }

  async sh(command: string): Promise<string> {
    const result = await this.#options.shell(command, { cwd: this.#options.cwd, env: this.#env });
    if (result.code !== 0) throw new CommandFailed(command, result);
    return result.stdout;
  }

  /** Ruby dotenv's Dotenv.load (keeps variables already set) and Dotenv.overload; missing files are skipped. */
  async dotenv(files: unknown[], override: boolean): Promise<null> {
    const { parseDotenv } = await import("../dotenv.ts");
    for (const file of files.length > 0 ? files.map(String) : [".env"]) {
      const path = resolve(this.#options.cwd, file);
      if (!existsSync(path)) continue;
      const runCommand = async (command: string) => (await this.sh(command)).replace(/\n$/, "");
      const { values } = await parseDotenv(readFileSync(path, "utf8"), { file, env: this.#env, runCommand });
      for (const [key, value] of values) if (override || this.#env[key] === undefined) this.#env[key] = value;
    }
    return null;
  }

  dockerArch(): string {
    return this.#options.arch;
  }

  /** ENV after the template ran (Dotenv.load may have added to it). */
  environment(): Readonly<Record<string, string | undefined>> {
    return { ...this.#env };
  }

  /** The rendered text. */
  result(): string {
    return this.#chunks.map((c) => c.text).join("");
  }

  /** The template line that produced a given line (1-based) of the rendered text. */
  sourceLine(renderedLine: number): number {
    const [offset] = this.#lineBounds(renderedLine);
    const chunk = [...this.#chunks].reverse().find((c) => c.start <= offset);
    if (!chunk) return renderedLine;
    if (!chunk.fromTemplate) return chunk.line;
    const within = chunk.text.slice(0, offset - chunk.start);
    return chunk.line + (within.match(/\n/g)?.length ?? 0);
  }

  /** The index of the first output tag whose value is part of a rendered line. */
  outputOn(renderedLine: number): number | undefined {
    const [start, end] = this.#lineBounds(renderedLine);
    return this.#chunks.find((c) => !c.fromTemplate && c.start < end && c.start + c.text.length > start)?.tag;
  }

  /** [start, end) offsets of a rendered line. */
  #lineBounds(renderedLine: number): [number, number] {
    const text = this.result();
    let start = 0;
    for (let line = 1; line < renderedLine; line++) {
      const next = text.indexOf("\n", start);
      if (next === -1) break;
      start = next + 1;
    }
    const end = text.indexOf("\n", start);
    return [start, end === -1 ? text.length : end];
  }

  #push(text: string, line: number, fromTemplate: boolean): void {
    if (text === "") return;
    this.#chunks.push({ start: this.#length, line, text, fromTemplate, tag: this.at });
    this.#length += text.length;
  }
}
