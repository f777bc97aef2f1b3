// The object (`$rb`) that translated templates call. It holds the process environment ERB sees, runs backtick
// commands through the injected shell, reads files relative to the working directory, and collects the output
// together with the template line each piece came from, so YAML errors can point at the template's lines.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { ownValue } from "../own-value.ts";
import { readTextFile } from "../text-file.ts";
import { IterationBudget } from "./budget.ts";
import { RubyRegexp } from "./regexp.ts";
import { programRubyStarts, SHELL_NOT_FOUND } from "./ruby-shell.ts";
import * as methods from "./ruby-methods.ts";
import { match, stringIndex } from "./ruby-strings.ts";
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

export class KeyNotFound extends ruby.RubyError {
  readonly key: string;
  constructor(key: string) {
    super(`key not found: ${JSON.stringify(key)}`, "KeyError");
    this.key = key;
  }
}

/** Something Ruby would carry on from but the user should hear about (a command that failed), at a template line. */
export type RuntimeWarning = { readonly line: number; readonly message: string };

type Chunk = { readonly start: number; readonly line: number; readonly text: string; readonly fromTemplate: boolean; readonly tag: number };

export class Runtime {
  /** Index of the tag being run, for error messages. */
  at = -1;
  /** ENV as the template sees it; Dotenv.load adds to it, as it does to Ruby's ENV. */
  readonly #env: Record<string, string | undefined>;
  readonly #segments: readonly Segment[];
  readonly #options: RuntimeOptions;
  readonly #chunks: Chunk[] = [];
  readonly #warnings: RuntimeWarning[] = [];
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
  readonly negate = ruby.negate;
  readonly integer = ruby.integer;
  readonly range = ruby.range;
  readonly match = match;
  readonly sym = ruby.RubySymbol.of;
  readonly #budget = new IterationBudget();

  iterate(recv: unknown, method: string, args: unknown[], arity: number): unknown[][] {
    const items = methods.iterate(recv, method, args, arity);
    this.#budget.spend(items.length, `.${method}`);
    return items;
  }

  regexp(source: string, flags: string): RubyRegexp {
    return new RubyRegexp(source, flags);
  }

  index(recv: unknown, args: unknown[]): unknown {
    const [i] = args;
    if (Array.isArray(recv) && typeof i === "bigint" && args.length === 1) return recv.at(Number(i)) ?? null;
    if (typeof recv === "string") return stringIndex(recv, args);
    if (recv instanceof Map && args.length === 1) return recv.get(i) ?? null;
    if (ruby.isNil(recv)) throw ruby.noMethod("[]", recv);
    throw new ruby.NotTranslated(`${ruby.className(recv)}#[] with these arguments`);
  }

  /** Kernel#raise with a message (a RuntimeError) or nothing. */
  raise(args: unknown[]): never {
    if (args.length > 1 || (args.length === 1 && typeof args[0] !== "string")) throw new ruby.NotTranslated("raise with an exception class");
    throw new ruby.RubyError(args.length === 0 ? "unhandled exception" : (args[0] as string), "RuntimeError");
  }

  /** Whether a `rescue` clause naming `classes` (none: StandardError) catches `err`. */
  rescues(err: unknown, classes: string[]): boolean {
    return err instanceof ruby.RubyError && ruby.rescues(err, classes);
  }

  send(recv: unknown, name: string, args: unknown[], block: ((...a: unknown[]) => Promise<unknown>) | undefined, safe: boolean): Promise<unknown> {
    if (safe && (recv === null || recv === undefined)) return Promise.resolve(null);
    // A block runs once per element (map, select, each_with_object...): nested ones multiply.
    if (block && (Array.isArray(recv) || recv instanceof Map)) this.#budget.spend(Array.isArray(recv) ? recv.length : recv.size, `.${name}`);
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
    return ownValue(this.#env, String(name)) ?? null;
  }

  envHas(name: unknown): boolean {
    return ownValue(this.#env, String(name)) !== undefined;
  }

  async envFetch(name: unknown, defaults: unknown[], block: (() => Promise<unknown>) | undefined): Promise<unknown> {
    const value = ownValue(this.#env, String(name));
    if (value !== undefined) return value;
    if (block) return block();
    if (defaults.length > 0) return defaults[0];
    throw new KeyNotFound(String(name));
  }

  /** Dir.pwd: Kamal runs in the project's root, which is the working directory here. */
  pwd(): string {
    return resolve(this.#options.cwd);
  }

  /** File.read, exist?, file?, directory?, expand_path, join, basename, dirname; paths are relative to the working directory. */
  file(name: string, args: unknown[]): unknown {
    const path = (i: number) => ruby.str(args[i], `File.${name}`);
    const full = (p: string) => resolve(this.#options.cwd, p);
    switch (name) {
      case "read":
        if (!existsSync(full(path(0)))) throw new ruby.RubyError(`No such file or directory @ rb_sysopen - ${path(0)}`, "Errno::ENOENT");
        // Bounded and regular files only: `File.read("/dev/zero")` must not hang the run.
        return readTextFile(full(path(0)), path(0));
      case "exist?":
        return existsSync(full(path(0)));
      case "file?":
      case "directory?": {
        const stat = statSync(full(path(0)), { throwIfNoEntry: false });
        return name === "file?" ? stat?.isFile() ?? false : stat?.isDirectory() ?? false;
      }
      case "expand_path": {
        const home = (p: string) => (p === "~" || p.startsWith("~/") ? `${this.#env.HOME ?? ""}${p.slice(1)}` : p);
        const base = args.length > 1 && !ruby.isNil(args[1]) ? full(home(path(1))) : this.pwd();
        return resolve(base, home(path(0)));
      }
      case "join":
        return args.flat(Infinity).map((a) => ruby.str(a, "File.join")).reduce((a, b) => (a === "" ? b : `${a.replace(/\/+$/, "")}/${b.replace(/^\/+/, "")}`), "");
      case "basename": {
        const suffix = args.length > 1 ? path(1) : "";
        const base = basename(path(0));
        if (suffix === ".*") return base.slice(0, base.length - extname(base).length);
        return suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base;
      }
      case "dirname":
        return dirname(path(0));
    }
    throw new ruby.NotTranslated(`File.${name}`);
  }

  /**
   * A backtick command. Ruby carries on with whatever it printed when it fails; so do we, with a warning. A program
   * Ruby starts itself (no shell syntax) that is missing raises instead, and so stops the template here too.
   */
  async sh(command: string): Promise<string> {
    const result = await this.#options.shell(command, { cwd: this.#options.cwd, env: this.#env });
    const program = programRubyStarts(command);
    if (program !== undefined && result.code === SHELL_NOT_FOUND)
      throw new ruby.RubyError(`No such file or directory - ${program}`, "Errno::ENOENT");
    if (result.code !== 0) {
      const stderr = result.stderr.trim().split("\n").slice(-3).join("\n");
      this.#warnings.push({
        line: this.#segments[this.at]?.line ?? 1,
        message: `\`${command}\` exited ${result.code}${stderr ? `: ${stderr}` : ""} (its output is used anyway, as Ruby does)`,
      });
    }
    return result.stdout;
  }

  warnings(): readonly RuntimeWarning[] {
    return this.#warnings;
  }

  /** Ruby dotenv's Dotenv.load (keeps variables already set) and Dotenv.overload; missing files are skipped. */
  async dotenv(files: unknown[], override: boolean): Promise<null> {
    const { parseDotenv } = await import("../dotenv.ts");
    for (const file of files.length > 0 ? files.map(String) : [".env"]) {
      const path = resolve(this.#options.cwd, file);
      if (!existsSync(path)) continue;
      const runCommand = async (command: string) => (await this.sh(command)).replace(/\n$/, "");
      const { values } = await parseDotenv(readTextFile(path, file), { file, env: this.#env, runCommand });
      for (const [key, value] of values) if (override || ownValue(this.#env, key) === undefined) this.#env[key] = value;
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
