// Renders the ERB in deploy.yml. Kamal evaluates it as Ruby; we translate the Ruby idioms real configs use into
// JavaScript (erb/translate.ts) and run that, so `<%= ENV.fetch("HOST") %>` or `<% if ENV["CI"] %>` keep their
// Ruby meaning. Plain JavaScript in a tag works too. Anything else is reported with its file, line and the
// construct, never guessed at. See docs/decisions.md ("ERB without Ruby") for why this is not ejs.
import { ConfigError, type Issue } from "../errors.ts";
import { RubyError } from "./erb/ruby-values.ts";
import { CommandFailed, KeyNotFound, Runtime, type ShellCapture } from "./erb/runtime.ts";
import { ErbSyntaxError, scan, type Segment } from "./erb/scan.ts";
import { localName, Unsupported } from "./erb/expression.ts";
import { hasRubyOnlySyntax } from "./erb/lexer.ts";
import { StructureError, Translator } from "./erb/translate.ts";

export type { ShellCapture } from "./erb/runtime.ts";

export type ErbOptions = {
  /** the file name used in messages */
  readonly file: string;
  /** where backtick commands run and `File.read` paths start */
  readonly cwd: string;
  /** what `ENV` holds (KAMAL_DESTINATION already set by the caller) */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly shell: ShellCapture;
  /** `Kamal::Utils.docker_arch`; defaults to this machine's */
  readonly arch?: string;
};

export type RenderedErb = {
  readonly text: string;
  /** The template line that produced a line of `text`. */
  readonly sourceLine: (line: number) => number;
  /** The `<%= %>` tag whose value is on a line of `text`, for messages about that line. */
  readonly outputTag: (line: number) => string | undefined;
  /** ENV after rendering: `Dotenv.load` in a template changes it for what runs later, as in Ruby. */
  readonly env: Readonly<Record<string, string | undefined>>;
};

const UNSUPPORTED_FIX = "use ENV[...], ENV.fetch(...), a conditional or a backtick command, or move the logic into a secret";
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;

/** Throws ConfigError naming the file and line of every problem. */
export async function renderErb(template: string, options: ErbOptions): Promise<RenderedErb> {
  if (!template.includes("<%")) return { text: template, sourceLine: (line) => line, outputTag: () => undefined, env: options.env };
  const segments = scanOrThrow(template, options.file);
  const { body, fallbacks } = translate(segments, options.file);
  const issueAt = (i: number, message: string, fix: string): ConfigError => {
    const segment = segments[i];
    const where = segment && segment.kind !== "text" ? { line: segment.line, column: segment.column } : {};
    return new ConfigError([{ file: options.file, path: "", message, fix, ...where }]);
  };
  const unsupported = (i: number) => {
    const why = fallbacks.get(i);
    return issueAt(i, why ? unsupportedMessage(why, code(segments[i])) : `unsupported ERB: ${code(segments[i])}`, UNSUPPORTED_FIX);
  };

  let run: (...args: unknown[]) => Promise<void>;
  try {
    run = new AsyncFunction("$rb", "ENV", body);
  } catch (err) {
    const first = [...fallbacks.keys()][0];
    if (first === undefined) throw err;
    throw unsupported(first);
  }
  const runtime = new Runtime(segments, { cwd: options.cwd, env: options.env, shell: options.shell, arch: options.arch ?? dockerArch() });
  try {
    await run(runtime, Object.freeze(definedOnly(options.env)));
  } catch (err) {
    const i = runtime.at;
    if (err instanceof KeyNotFound)
      throw issueAt(i, `ENV.fetch(${JSON.stringify(err.key)}): ${err.message}`, `set ${err.key} in the environment, or give a default: ENV.fetch(${JSON.stringify(err.key)}, "...")`);
    if (err instanceof CommandFailed) {
      const stderr = err.result.stderr.trim().split("\n").slice(-3).join("\n");
      throw issueAt(i, `${err.message}${stderr ? `: ${stderr}` : ""}`, "run the command in a shell to see why it fails; append `|| true` if a failure is fine");
    }
    if (err instanceof RubyError) throw issueAt(i, `${err.message} in ${tag(segments[i])}`, "check the values this tag uses (an unset ENV[...] is nil)");
    if (err instanceof ReferenceError && fallbacks.has(i)) throw unsupported(i);
    if (err instanceof Error && fallbacks.has(i)) throw issueAt(i, `ERB error: ${err.message}`, UNSUPPORTED_FIX);
    throw err;
  }
  return {
    text: runtime.result(),
    sourceLine: (line) => runtime.sourceLine(line),
    outputTag: (line) => {
      const i = runtime.outputOn(line);
      return i === undefined ? undefined : tag(segments[i]);
    },
    env: runtime.environment(),
  };
}

function scanOrThrow(template: string, file: string): Segment[] {
  try {
    return scan(template);
  } catch (err) {
    if (!(err instanceof ErbSyntaxError)) throw err;
    throw new ConfigError([{ file, path: "", message: err.message, fix: "close the tag with %>", line: err.line, column: err.column }]);
  }
}

type Fallback = { readonly message: string; readonly construct: string };

/** The function body, and the tags that were left as JavaScript because they are not Ruby we know. */
function translate(segments: readonly Segment[], file: string): { body: string; fallbacks: Map<number, Fallback> } {
  const tr = new Translator();
  const fallbacks = new Map<number, Fallback>();
  const issues: Issue[] = [];
  const lines = segments.map((segment, i) => {
    if (segment.kind === "text") return `$rb.text(${i});`;
    // Ruby would evaluate `# password: <%= %x(aws ecr ...) %>` (running the command) and print into the comment;
    // YAML ignores the result, so we skip it. Kamal's own init template has such a line with Ruby-only constants.
    if (segment.kind === "output" && segment.inComment) return "";
    try {
      const js = segment.kind === "output" ? `$rb.out(${tr.output(segment.code, segment.line)});` : tr.code(segment.code, segment.line);
      return `$rb.at = ${i}; ${js}`;
    } catch (err) {
      if (err instanceof StructureError) {
        issues.push({ file, path: "", message: err.message, fix: "balance every if/unless/do with an end", line: segment.line, column: segment.column });
        return "";
      }
      if (!(err instanceof Unsupported)) throw err;
      // Ruby-only syntax would mean something else as JavaScript ("#{x}" is plain text there): report it.
      if (hasRubyOnlySyntax(segment.code)) {
        issues.push({ file, path: "", message: unsupportedMessage(err, segment.code), fix: UNSUPPORTED_FIX, line: segment.line, column: segment.column });
        return "";
      }
      fallbacks.set(i, { message: err.message, construct: err.construct });
      return `$rb.at = ${i}; ${segment.kind === "output" ? `$rb.out((${segment.code}\n));` : segment.code}`;
    }
  });
  try {
    tr.finish();
  } catch (err) {
    if (!(err instanceof StructureError)) throw err;
    issues.push({ file, path: "", message: err.message, fix: "add the missing <% end %>", line: tr.blocks.at(-1)?.line ?? 1 });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const declarations = [
    ...Array.from({ length: tr.temps }, (_, i) => `$t${i + 1}`),
    ...[...tr.locals].map(localName),
  ];
  return { body: `${declarations.length ? `let ${declarations.join(", ")};\n` : ""}${lines.join("\n")}`, fallbacks };
}

function unsupportedMessage(why: Fallback, code: string): string {
  return `unsupported ERB: ${why.construct || code.trim()} (${why.message})`;
}

function tag(segment: Segment | undefined): string {
  return `<%${segment?.kind === "output" ? "=" : ""}${code(segment)}%>`;
}

function code(segment: Segment | undefined): string {
  return segment && segment.kind !== "text" ? segment.code : "";
}

function dockerArch(): string {
  return process.arch === "x64" ? "amd64" : process.arch;
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
