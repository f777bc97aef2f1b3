// Renders the ERB in deploy.yml. Kamal evaluates it as Ruby; we translate the Ruby that real configs use into
// JavaScript (erb/translate.ts) that calls a runtime with Ruby's semantics (erb/runtime.ts), so that
// `<%= ENV.fetch("HOST") %>` or `<% if ENV["CI"] %>` keep their Ruby meaning. A template with Ruby the translator
// does not know is rendered by Ruby's own ERB when `ruby` is on PATH, and refused otherwise, naming the file, line
// and construct: never guessed at, never run as JavaScript. See docs/decisions.md ("ERB without Ruby").
import { ConfigError, type Issue } from "../errors.ts";
import { BudgetExceeded } from "./erb/budget.ts";
import { NotTranslated, RubyError } from "./erb/ruby-values.ts";
import { KeyNotFound, Runtime, type ShellCapture } from "./erb/runtime.ts";
import { renderWithRuby } from "./erb/ruby-erb.ts";
import { ErbSyntaxError, scan, type Segment } from "./erb/scan.ts";
import { localName, Unsupported } from "./erb/expression.ts";
import { StructureError, Translator } from "./erb/translate.ts";

export type { ShellCapture } from "./erb/runtime.ts";

export type ErbOptions = {
  /** the file name used in messages */
  readonly file: string;
  /** where backtick commands run and `File.read` paths start */
  readonly cwd: string;
  /** what `ENV` holds (KAMAL_DESTINATION already set by the caller) */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** runs backtick commands, and `ruby` for templates beyond the translator */
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
  /** `file:line: message` for what Ruby carries on from (a failed command) and for a rendering by Ruby itself */
  readonly warnings: readonly string[];
};

const BUDGET_FIX = "compute large values outside deploy.yml (in a secret, an env variable or a script) and read the result";
const UNSUPPORTED_FIX = "use ENV[...], ENV.fetch(...), a conditional or a backtick command, or move the logic into a secret";
const RUBY_FIX = "or install Ruby: with `ruby` on PATH, sextant renders such a file with Ruby's own ERB, as Kamal does";
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;

/** Throws ConfigError naming the file and line of every problem. */
export async function renderErb(template: string, options: ErbOptions): Promise<RenderedErb> {
  if (!template.includes("<%")) return { text: template, sourceLine: (line) => line, outputTag: () => undefined, env: options.env, warnings: [] };
  const segments = scanOrThrow(template, options.file);
  const arch = options.arch ?? dockerArch();
  const { body, refusals } = translate(segments, options.file);
  if (refusals.length > 0) return renderByRuby(template, options, arch, refusals);

  const issueAt = (i: number, message: string, fix: string): ConfigError => {
    const segment = segments[i];
    const where = segment && segment.kind !== "text" ? { line: segment.line, column: segment.column } : {};
    return new ConfigError([{ file: options.file, path: "", message, fix, ...where }]);
  };
  const runtime = new Runtime(segments, { cwd: options.cwd, env: options.env, shell: options.shell, arch });
  try {
    await new AsyncFunction("$rb", body)(runtime);
  } catch (err) {
    const i = runtime.at;
    if (err instanceof NotTranslated) {
      const refusal = { ...issueAt(i, `unsupported ERB: ${tag(segments[i])} (sextant has no copy of ${err.message})`, UNSUPPORTED_FIX).issues[0]! };
      return renderByRuby(template, options, arch, [refusal]);
    }
    if (err instanceof KeyNotFound)
      throw issueAt(i, `ENV.fetch(${JSON.stringify(err.key)}): ${err.message}`, `set ${err.key} in the environment, or give a default: ENV.fetch(${JSON.stringify(err.key)}, "...")`);
    if (err instanceof RubyError) throw issueAt(i, `${err.message} (${err.rubyClass}) in ${tag(segments[i])}`, "check the values this tag uses (an unset ENV[...] is nil)");
    if (err instanceof BudgetExceeded) throw issueAt(i, `${tag(segments[i])} stopped: ${err.message}`, BUDGET_FIX);
    // A value too big for JavaScript (a string of 2^30 characters, recursion too deep): Ruby would raise too.
    if (err instanceof RangeError) throw issueAt(i, `${err.message} in ${tag(segments[i])}`, BUDGET_FIX);
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
    warnings: runtime.warnings().map((w) => `${options.file}:${w.line}: ${w.message}`),
  };
}

/** Ruby's ERB renders what the translator refused; without Ruby the refusals stand, each saying Ruby would help. */
async function renderByRuby(template: string, options: ErbOptions, arch: string, refusals: readonly Issue[]): Promise<RenderedErb> {
  const rendered = await renderWithRuby(template, { cwd: options.cwd, env: options.env, shell: options.shell, arch });
  if (rendered.kind === "no-ruby") throw new ConfigError(refusals.map((issue) => ({ ...issue, fix: `${issue.fix}, ${RUBY_FIX}` })));
  if (rendered.kind === "failed") {
    throw new ConfigError([{
      file: options.file, path: "", message: `Ruby's ERB failed: ${rendered.message}`, ...(rendered.line === undefined ? {} : { line: rendered.line }),
      fix: "fix the template; sextant used Ruby because it does not translate " + refusals.map((r) => `line ${r.line}`).join(", "),
    }]);
  }
  const constructs = refusals.map((r) => `${r.message.replace(/^unsupported ERB: /, "")} on line ${r.line}`).join("; ");
  return {
    text: rendered.text,
    sourceLine: (line) => line,
    outputTag: () => undefined,
    env: rendered.env,
    warnings: [`${options.file}: rendered by Ruby's ERB (\`ruby\` on PATH) because sextant does not translate ${constructs}`],
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

/** The function body, or the Ruby it refuses (structural mistakes are thrown: Ruby would reject them too). */
function translate(segments: readonly Segment[], file: string): { body: string; refusals: Issue[] } {
  const tr = new Translator();
  const structure: Issue[] = [];
  const refusals: Issue[] = [];
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
        structure.push({ file, path: "", message: err.message, fix: "balance every if/unless/do/begin with an end", line: segment.line, column: segment.column });
      } else if (err instanceof Unsupported) {
        refusals.push({ file, path: "", message: `unsupported ERB: ${err.construct} (${err.message})`, fix: UNSUPPORTED_FIX, ...positionIn(segment, err.offset) });
      } else {
        throw err;
      }
      return "";
    }
  });
  try {
    tr.finish();
  } catch (err) {
    if (!(err instanceof StructureError)) throw err;
    structure.push({ file, path: "", message: err.message, fix: "add the missing <% end %>", line: tr.blocks.at(-1)?.line ?? 1 });
  }
  if (structure.length > 0) throw new ConfigError([...structure, ...refusals].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  const declarations = [
    ...Array.from({ length: tr.temps }, (_, i) => `$t${i + 1}`),
    ...[...tr.locals].map(localName),
  ];
  return { body: `${declarations.length ? `let ${declarations.join(", ")};\n` : ""}${lines.join("\n")}`, refusals };
}

/** Where a construct starts: its line (a tag may span lines), and the tag's column on the tag's first line. */
function positionIn(segment: Segment & { kind: "code" | "output" }, offset: number): { line: number; column: number } {
  const before = segment.code.slice(0, offset);
  const newlines = before.split("\n").length - 1;
  if (newlines === 0) return { line: segment.line, column: segment.column };
  return { line: segment.line + newlines, column: offset - before.lastIndexOf("\n") };
}

function tag(segment: Segment | undefined): string {
  return `<%${segment?.kind === "output" ? "=" : ""}${segment && segment.kind !== "text" ? segment.code : ""}%>`;
}

function dockerArch(): string {
  return process.arch === "x64" ? "amd64" : process.arch;
}
