// Renders a template with Ruby's own ERB, for templates whose Ruby sextant does not translate. It runs `ruby` from
// PATH through the injected shell (src/exec/), the way Kamal would render it: trim mode "-", with ActiveSupport and
// dotenv when those gems are installed, and `Kamal::Utils.docker_arch`. The template goes in through the
// environment and the result comes back as JSON on stdout (the template's own commands print to stderr).
import * as z from "zod";
import type { ShellCapture } from "./runtime.ts";

type Env = Readonly<Record<string, string | undefined>>;

const SCRIPT = String.raw`
module SextantErb
  def self.run
    template = ENV.delete("SEXTANT_ERB_TEMPLATE")
    arch = ENV.delete("SEXTANT_ERB_ARCH")
    ENV.delete("SEXTANT_ERB_SCRIPT")
    result = $stdout.dup
    $stdout.reopen($stderr)
    require "erb"
    require "json"
    %w[active_support active_support/core_ext/object/blank active_support/core_ext/object/json dotenv].each do |lib|
      require lib
    rescue LoadError
    end
    Object.const_set(:Kamal, Module.new) unless defined?(::Kamal)
    Kamal.const_set(:Utils, Module.new) unless defined?(::Kamal::Utils)
    Kamal::Utils.define_singleton_method(:docker_arch) { arch } unless Kamal::Utils.respond_to?(:docker_arch)
    before = ENV.to_h
    begin
      text = ERB.new(template, trim_mode: "-").result
      changed = ENV.to_h.reject { |k, v| before[k] == v }
      result.write(JSON.generate("text" => text, "env" => changed, "removed" => before.keys - ENV.keys))
    rescue Exception => e
      line = e.backtrace_locations&.find { |l| l.path == "(erb)" }&.lineno || e.message[/\A\(erb\):(\d+)/, 1]&.to_i
      result.write(JSON.generate("error" => "#{e.message.lines.first.to_s.strip} (#{e.class})", "line" => line, "version" => RUBY_VERSION))
    end
  end
end
SextantErb.run
`;

// 127 before anything ran: there is no ruby on PATH.
const COMMAND = `command -v ruby >/dev/null 2>&1 || exit 127; exec ruby -e "$SEXTANT_ERB_SCRIPT"`;

const outputSchema = z.union([
  z.object({ text: z.string(), env: z.record(z.string(), z.string()), removed: z.array(z.string()) }),
  z.object({ error: z.string(), line: z.number().int().nullable(), version: z.string() }),
]);

export type RubyRendering =
  | { readonly kind: "rendered"; readonly text: string; readonly env: Env }
  | { readonly kind: "failed"; readonly message: string; readonly line: number | undefined }
  | { readonly kind: "no-ruby" };

export async function renderWithRuby(template: string, options: { cwd: string; env: Env; shell: ShellCapture; arch: string }): Promise<RubyRendering> {
  const env = { ...options.env, SEXTANT_ERB_SCRIPT: SCRIPT, SEXTANT_ERB_TEMPLATE: template, SEXTANT_ERB_ARCH: options.arch };
  const result = await options.shell(COMMAND, { cwd: options.cwd, env });
  if (result.code === 127 && result.stdout === "") return { kind: "no-ruby" };
  let parsed: z.infer<typeof outputSchema>;
  try {
    parsed = outputSchema.parse(JSON.parse(result.stdout));
  } catch {
    const stderr = result.stderr.trim().split("\n").slice(-3).join("\n");
    return { kind: "failed", message: `ruby exited ${result.code}${stderr ? `: ${stderr}` : " without a result"}`, line: undefined };
  }
  if ("error" in parsed) return { kind: "failed", message: parsed.error, line: parsed.line ?? undefined };
  const after: Record<string, string | undefined> = { ...options.env, ...parsed.env };
  for (const key of parsed.removed) after[key] = undefined;
  return { kind: "rendered", text: parsed.text, env: after };
}
