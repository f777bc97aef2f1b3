import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { renderErb } from "../../src/config/erb.ts";
import { shellCapture } from "../../src/exec/local.ts";

// No `ruby` on this PATH (the commands below are sh builtins), so what sextant refuses stays refused here even on a
// machine with Ruby; test/config/erb-ruby.test.ts covers rendering with Ruby.
const NO_RUBY = mkdtempSync(join(tmpdir(), "sextant-no-ruby-"));
afterAll(() => rmSync(NO_RUBY, { recursive: true, force: true }));
const env = { HOSTS: "10.0.0.1,10.0.0.2", EMPTY: "", STAGE: "staging", PATH: NO_RUBY, BLANK: "  " };
const render = async (template: string, extra: Record<string, string | undefined> = {}) =>
  (await renderErb(template, { file: "config/deploy.yml", cwd: import.meta.dirname, env: { ...env, ...extra }, shell: shellCapture, arch: "amd64" })).text;

const FIX = "use ENV[...], ENV.fetch(...), a conditional or a backtick command, or move the logic into a secret, " +
  "or install Ruby: with `ruby` on PATH, sextant renders such a file with Ruby's own ERB, as Kamal does";

async function issue(template: string): Promise<string> {
  try {
    await render(template);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("Ruby idioms", () => {
  test.each([
    ['<%= ENV["STAGE"] %>', "staging"],
    ["<%= ENV['STAGE'] %>", "staging"],
    ['[<%= ENV["UNSET"] %>]', "[]"],
    ['<%= ENV.fetch("STAGE") %>', "staging"],
    ['<%= ENV.fetch("UNSET", "dflt") %>', "dflt"],
    ['<%= ENV.fetch("UNSET") { "from block" } %>', "from block"],
    ['<%= ENV.fetch "UNSET", "no parens" %>', "no parens"],
    ['<%= ENV["UNSET"] || "d" %>', "d"],
    ['[<%= ENV["EMPTY"] || "d" %>]', "[]"],
    ['<%= ENV["EMPTY"].presence || "d" %>', "d"],
    ['<%= ENV["STAGE"] && "both" %>', "both"],
    ['<%= !ENV["UNSET"] %>', "true"],
    ['<%= ENV["STAGE"] == "staging" %> <%= ENV["STAGE"] != "staging" %>', "true false"],
    ['<%= ENV["EMPTY"] ? "truthy" : "falsy" %>', "truthy"],
    ['<%= ENV["UNSET"] ? "truthy" : "falsy" %>', "falsy"],
    ['<%= ENV["BLANK"].present? %> <%= ENV["BLANK"].blank? %> <%= ENV["UNSET"].nil? %>', "false true true"],
    ['<%= "42abc".to_i + 1 %> <%= 7.to_s %> <%= ENV["UNSET"].to_s %>|', "43 7 |"],
    ['<%= "  x \\n".strip %>|<%= "line\\n".chomp %>|<%= "Ab".downcase %><%= "Ab".upcase %>', "x|line|abAB"],
    ['<%= ENV["HOSTS"].split(",") %>', '["10.0.0.1", "10.0.0.2"]'],
    ['<%= ENV["HOSTS"].split(",").include?("10.0.0.2") %>', "true"],
    ['<%= ENV["HOSTS"].split(",").join(" ") %>', "10.0.0.1 10.0.0.2"],
    ['<%= ENV["HOSTS"].split(",").map { |h| h.split(".").last }.join("+") %>', "1+2"],
    ['<%= "#{ENV["STAGE"]}-suffix" %>', "staging-suffix"],
    ["<%= 'no #{interpolation}' %>", "no #{interpolation}"],
    ['<%= Kamal::Utils.docker_arch %>', "amd64"],
    ['<%= Kamal::Utils.docker_arch == "arm64" ? "amd64" : "arm64" %>', "arm64"],
    ['<%= Integer("0x10") %>', "16"],
    ['<%= %w[a b].join(",") %>', "a,b"],
    ['<%= "on" if ENV["STAGE"] %>|<%= "off" unless ENV["STAGE"] %>', "on|"],
    ['<%= ENV["UNSET"]&.strip %>|', "|"],
    ['<% name = ENV.fetch("STAGE") %><%= name.upcase %>', "STAGING"],
    ['<%= " a , b ".split(",").map(&:strip) %>', '["a", "b"]'],
    ["[<%= %>]", "[]"],
    ['<%= ENV.fetch("UNSET") rescue "fallback" %> <% v = ENV["UNSET"].strip rescue "n/a" %><%= v %>', "fallback n/a"],
    ['<%= ENV["HOSTS"].split(",").any? { |h| h.end_with?(".2") } %> <%= [nil].any? %>', "true false"],
    ['<%= ENV["STAGE"].to_json %> <%= ENV["UNSET"].to_json %> <%= "<&>".to_json %>', '"staging" null "\\u003c\\u0026\\u003e"'],
  ])("%s", async (template, expected) => {
    expect(await render(template)).toBe(expected);
  });
});

describe("control flow across tags", () => {
  test("if / elsif / else / end", async () => {
    const template = '<% if ENV["UNSET"] %>a<% elsif ENV["STAGE"] == "staging" %>b<% else %>c<% end %>';
    expect(await render(template)).toBe("b");
  });

  test("unless", async () => {
    expect(await render('<% unless ENV["UNSET"] %>shown<% end %>')).toBe("shown");
  });

  test("an empty string is true, as in Ruby", async () => {
    expect(await render('<% if ENV["EMPTY"] %>set<% else %>unset<% end %>')).toBe("set");
  });

  test("each do |x| over a split env var produces list items", async () => {
    const template = 'servers:\n<% ENV["HOSTS"].split(",").each do |host| -%>\n  - <%= host %>\n<% end -%>\n';
    expect(await render(template)).toBe("servers:\n  - 10.0.0.1\n  - 10.0.0.2\n");
  });

  test("ranges iterate over integers", async () => {
    expect(await render("<% (1..3).each do |i| %>w<%= i %> <% end %>|<%= (0...2).map { |i| i * 10 } %>")).toBe("w1 w2 w3 |[0, 10]");
  });

  test("each_with_index yields the index", async () => {
    expect(await render('<% %w[a b].each_with_index do |x, i| %><%= i %>=<%= x %> <% end %>')).toBe("0=a 1=b ");
  });
});

test("a tag may hold several lines of statements", async () => {
  const template = '<%\n  hosts = ENV.fetch("HOSTS").split(",")\n  primary = hosts.first\n%>primary: <%= primary %>\ncount: <%= hosts.size %>\n';
  expect(await render(template)).toBe("primary: 10.0.0.1\ncount: 2\n");
});

describe("dotenv", () => {
  const dir = mkdtempSync(join(tmpdir(), "sextant-erb-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, ".env"), 'DB_HOST=10.0.0.5\nSTAGE=from-file\nURL="mysql://$DB_HOST"\n');
  writeFileSync(join(dir, ".env.override"), "STAGE=overridden\n");
  const inDir = async (template: string) =>
    (await renderErb(template, { file: "config/deploy.yml", cwd: dir, env, shell: shellCapture })).text;

  test("Dotenv.load adds variables from .env without replacing set ones, for ENV and commands", async () => {
    expect(await inDir('<% require "dotenv"; Dotenv.load %><%= ENV["DB_HOST"] %> <%= ENV["STAGE"] %> <%= ENV["URL"] %> <%= `printf "$DB_HOST"` %>'))
      .toBe("10.0.0.5 staging mysql://10.0.0.5 10.0.0.5");
  });

  test('require "dotenv/load" loads .env at once', async () => {
    expect(await inDir('<% require "dotenv/load" %><%= ENV.fetch("DB_HOST") %>')).toBe("10.0.0.5");
  });

  test("Dotenv.overload replaces set variables", async () => {
    expect(await inDir('<% require "dotenv" %><% Dotenv.overload(".env", ".env.override") %><%= ENV["STAGE"] %>')).toBe("overridden");
  });

  test("other libraries cannot be required", async () => {
    expect(await issue('<% require "json" %>')).toBe(
      'config/deploy.yml:1:1: unsupported ERB: require "json" (it loads the Ruby library "json")\n' +
      `  fix: ${FIX}`,
    );
  });

  test("Dotenv.load of a Kamal secrets file reads it with Kamal's dotenv dialect into ENV", async () => {
    writeFileSync(join(dir, ".env.secrets"), "DB_PASSWORD=$(printf s3cret)\nexport API_HOST=api.$STAGE.example.com\n");
    expect(await inDir('<% require "dotenv"; Dotenv.load(".env.secrets") %><%= ENV["DB_PASSWORD"] %> <%= ENV["API_HOST"] %>'))
      .toBe("s3cret api.staging.example.com");
  });
});

describe("trim mode and tags", () => {
  test("Kamal's verified example: <%- and -%> leave no blank lines", async () => {
    const template = "servers:\n  <%- [1,2].each do |i| -%>\n  - 10.0.0.<%= i %>\n  <%- end -%>\n";
    expect(await render(template)).toBe("servers:\n  - 10.0.0.1\n  - 10.0.0.2\n");
  });

  test("without trim markers the tag lines stay as blank lines", async () => {
    expect(await render("a\n<% if true %>\nb\n<% end %>\nc\n")).toBe("a\n\nb\n\nc\n");
  });

  test("<%- only trims indentation when the tag starts its line", async () => {
    expect(await render("x  <%- if true -%>\ny<% end %>")).toBe("x  y");
  });

  test("output tags inside YAML comments are not evaluated", async () => {
    const template = 'a: 1\n  #   RUBY_VERSION: <%= ENV["RBENV_VERSION"] || "#{RUBY_ENGINE}-#{RUBY_ENGINE_VERSION}" %>\n# p: <%= %x(exit 1) %>\nb: 2 # <%= 1 %>\n';
    expect(await render(template)).toBe("a: 1\n  #   RUBY_VERSION: \n# p: \nb: 2 # 1\n");
  });

  test("comments produce nothing and <%% is a literal <%", async () => {
    expect(await render("a<%# ignored %>b <%% c %>")).toBe("ab <% c %>");
  });
});

describe("commands and files", () => {
  test("backticks keep the trailing newline, as Ruby does", async () => {
    expect(await render("<%= `echo hi` %>|")).toBe("hi\n|");
  });

  test("%x() and %x{} run with interpolation and see ENV", async () => {
    expect(await render('<%= %x(printf "%s" "$STAGE").strip %>|<%= %x{echo #{ENV["STAGE"]}}.chomp %>')).toBe("staging|staging");
  });

  test("a failing command gives its output and a warning with its stderr, as Ruby carries on", async () => {
    // Ruby: `echo partial; echo nope >&2; exit 3` == "partial\n" (and $?.exitstatus == 3)
    const rendered = await renderErb("v: <%= `echo partial; echo nope >&2; exit 3`.strip %>|\n", {
      file: "config/deploy.yml", cwd: ".", env, shell: shellCapture,
    });
    expect(rendered.text).toBe("v: partial|\n");
    expect(rendered.warnings).toEqual(["config/deploy.yml:1: `echo partial; echo nope >&2; exit 3` exited 3: nope (its output is used anyway, as Ruby does)"]);
  });

  test("a missing program Ruby starts itself raises Errno::ENOENT, as in Ruby; through the shell it is output", async () => {
    // Ruby: %x(no-such-tool get-password) raises Errno::ENOENT "No such file or directory - no-such-tool";
    // %x(FOO=1 no-such-tool) and %x(no-such-tool "x") go through /bin/sh, which exits 127, and give ""
    expect(await issue("registry:\n  password: <%= %x(no-such-tool get-password) %>\n")).toBe(
      "config/deploy.yml:2:13: No such file or directory - no-such-tool (Errno::ENOENT) in <%= %x(no-such-tool get-password) %>\n" +
      "  fix: check the values this tag uses (an unset ENV[...] is nil)",
    );
    expect(await render('<%= %x(FOO=1 no-such-tool) %>|<%= `no-such-tool "x"` %>|')).toBe("||");
    expect(await render('<%= %x(no-such-tool) rescue "fallback" %>')).toBe("fallback");
  });

  test("File.read reads relative to the working directory", async () => {
    expect(await render('<%= File.read("../../fixtures/deploy/with-accessories/config/mysql/init.sql").strip %>'))
      .toBe("CREATE DATABASE IF NOT EXISTS tracker_queue;");
  });
});

describe("errors name the file, line and construct", () => {
  test("ENV.fetch of an unset variable", async () => {
    expect(await issue('service: app\nimage: <%= ENV.fetch("IMAGE_NAME") %>\n')).toBe(
      'config/deploy.yml:2:8: ENV.fetch("IMAGE_NAME"): key not found: "IMAGE_NAME"\n' +
      '  fix: set IMAGE_NAME in the environment, or give a default: ENV.fetch("IMAGE_NAME", "...")',
    );
  });

  test("an unsupported construct", async () => {
    expect(await issue("a: 1\n\nkey: <%= Rails.application.credentials.secret_key_base %>\n")).toBe(
      "config/deploy.yml:3:6: unsupported ERB: Rails.application.credentials.secret_key_base (Rails is not available)\n" +
      `  fix: ${FIX}`,
    );
  });

  test("Ruby-only syntax is refused, never run as JavaScript", async () => {
    expect(await issue('v: <%= "#{RUBY_ENGINE}-#{RUBY_ENGINE_VERSION}" %>')).toBe(
      "config/deploy.yml:1:4: unsupported ERB: RUBY_ENGINE (RUBY_ENGINE is not available)\n" +
      `  fix: ${FIX}`,
    );
  });

  test("JavaScript in a tag is refused: process.exit does not end sextant", async () => {
    // Ruby: NameError (undefined local variable or method `process')
    expect(await issue("a: <%= process.exit(77) %>")).toBe(
      "config/deploy.yml:1:4: unsupported ERB: process.exit(77) (undefined local variable or method process)\n" +
      `  fix: ${FIX}`,
    );
    expect(await issue('<% for (const h of ENV.HOSTS.split(",")) { %>x<% } %>')).toContain("unsupported ERB: for (const h of");
  });

  test("require_relative is quoted whole, on the line it is on", async () => {
    expect(await issue('a: 1\n<%\n  require_relative "../lib/deploy_settings"\n  host = DeploySettings.host\n%>')).toBe(
      'config/deploy.yml:3:3: unsupported ERB: require_relative "../lib/deploy_settings" (it loads a Ruby file of the project, which only Ruby can run)\n' +
      `  fix: ${FIX}`,
    );
    expect(await issue('<% require File.expand_path("../lib/settings", __dir__) %>')).toBe(
      'config/deploy.yml:1:1: unsupported ERB: require File.expand_path("../lib/settings", __dir__) (it loads a Ruby file of the project, which only Ruby can run)\n' +
      `  fix: ${FIX}`,
    );
  });

  test("a method sextant has no copy of is refused at run time, naming it", async () => {
    // Ruby: "%05d" % 42 == "00042"
    expect(await issue('n: <%= "%05d" % 42 %>')).toBe(
      'config/deploy.yml:1:4: unsupported ERB: <%= "%05d" % 42 %> (sextant has no copy of String#%)\n' +
      `  fix: ${FIX}`,
    );
  });

  test("a method on nil", async () => {
    expect(await issue('<%= ENV["UNSET"].strip %>')).toBe(
      "config/deploy.yml:1:1: undefined method 'strip' for nil (NoMethodError) in <%= ENV[\"UNSET\"].strip %>\n" +
      "  fix: check the values this tag uses (an unset ENV[...] is nil)",
    );
  });

  test("a missing end", async () => {
    expect(await issue("a\n<% if ENV['X'] %>\nb\n")).toBe(
      "config/deploy.yml:2:1: missing <% end %> for the condition opened on line 2\n  fix: add the missing <% end %>",
    );
  });

  test("an end with nothing open", async () => {
    expect(await issue("<% end %>")).toBe(
      "config/deploy.yml:1:1: `end` without a matching `if`, `unless` or `do`\n  fix: balance every if/unless/do/begin with an end",
    );
  });

  test("an unterminated tag", async () => {
    expect(await issue("a\nb: <%= ENV['X']\n")).toBe("config/deploy.yml:2:4: unterminated ERB tag (no closing %>)\n  fix: close the tag with %>");
  });
});

test("rendered lines map back to template lines", async () => {
  const rendered = await renderErb("a: 1\n<% if true -%>\n<% end -%>\nb: <%= 'x' %>\nc: 2\n", {
    file: "f.yml", cwd: ".", env: {}, shell: shellCapture,
  });
  expect(rendered.text).toBe("a: 1\nb: x\nc: 2\n");
  expect([1, 2, 3].map(rendered.sourceLine)).toEqual([1, 4, 5]);
});
