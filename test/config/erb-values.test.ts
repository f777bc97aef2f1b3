// Each construct with the value Ruby 3.1 gives (`ERB.new(t, trim_mode: "-").result`, as Kamal renders), written
// beside it: sextant must give exactly that, or refuse.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { renderErb } from "../../src/config/erb.ts";
import { shellCapture } from "../../src/exec/local.ts";

const NO_RUBY = mkdtempSync(join(tmpdir(), "sextant-no-ruby-"));
afterAll(() => rmSync(NO_RUBY, { recursive: true, force: true }));
const render = async (template: string) =>
  (await renderErb(template, { file: "config/deploy.yml", cwd: "/tmp", env: { PATH: NO_RUBY, HOME: "/home/deployer" }, shell: shellCapture, arch: "amd64" })).text;

test("a regexp with a backslash splits as in Ruby: the second host, not the first (regression)", async () => {
  // Ruby: `echo host-a host-b`.split(/\s/)[1] == "host-b"
  expect(await render("servers: [<%= `echo host-a host-b`.split(/\\s/)[1] %>]")).toBe("servers: [host-b]");
});

describe("Integer and Float stay distinct", () => {
  test.each([
    ["<%= 10 / 4.0 %>", "2.5"], // Ruby: 2.5
    ["<%= 7.0 / 2 %>", "3.5"], // Ruby: 3.5
    ["<%= 3.0 %>", "3.0"], // Ruby: 3.0
    ["<%= 10 / 4 %>", "2"], // Ruby: 2
    ["<%= -7 / 2 %> <%= 7 % -3 %>", "-4 -2"], // Ruby: -4 -2
    ["<%= 1e20 %> <%= 1e-5 %> <%= 0.1 + 0.2 %>", "1.0e+20 1.0e-05 0.30000000000000004"], // Ruby: 1.0e+20 1.0e-05 0.30000000000000004
    ["<%= 12345678901234567890 + 1 %>", "12345678901234567891"], // Ruby: 12345678901234567891
    ["<%= -2 ** 2 %> <%= 2 ** 3 ** 2 %> <%= 2.0 ** 2 %>", "-4 512 4.0"], // Ruby: -4 512 4.0
    ["<%= 1 == 1.0 %> <%= \"3.7xyz\".to_f %> <%= 2.5.round %> <%= [1.5, 2].sum %>", "true 3.7 3 3.5"], // Ruby: true 3.7 3 3.5
    ["<%= \"8\".to_i * 2 %> <%= Integer(\"0755\") %>", "16 493"], // Ruby: 16 493
  ])("%s", async (template, ruby) => {
    expect(await render(template)).toBe(ruby);
  });
});

describe("Symbols and Hashes print as Ruby 3.1 inspects them", () => {
  test.each([
    ["<%= {a: 1} %>", "{:a=>1}"], // Ruby: {:a=>1}
    ['<%= {"b" => [1, nil, 2.5], c: {d: :e}} %>', '{"b"=>[1, nil, 2.5], :c=>{:d=>:e}}'], // Ruby: {"b"=>[1, nil, 2.5], :c=>{:d=>:e}}
    ['<%= :sym %> <%= [:a, "b"] %>', 'sym [:a, "b"]'], // Ruby: sym [:a, "b"]
    ['<%= {a: 1}.map { |k, v| "#{k}=#{v}" }.join(",") %> <%= {a: 1, b: 2}.select { |k, v| v > 1 } %>', "a=1 {:b=>2}"], // Ruby: a=1 {:b=>2}
    ["<%= {a: 1}[:a] %> <%= {a: 1}[\"a\"].inspect %> <%= {a: 1}.fetch(:b, 0) %>", "1 nil 0"], // Ruby: 1 nil 0
    ['<%= "tab\\tesc\\e#{1}".inspect %>', '"tab\\tesc\\e1"'], // Ruby: "tab\tesc\e1"
  ])("%s", async (template, ruby) => {
    expect(await render(template)).toBe(ruby);
  });
});

describe("regular expressions and the String methods that take them", () => {
  test.each([
    ['<%= "a".gsub(/a/, "b") %>', "b"], // Ruby: b
    ['<%= "a-b".gsub(/(\\w)-(\\w)/, "\\\\2\\\\1") %> <%= "x.y".gsub(".", "_") %>', "ba x_y"], // Ruby: ba x_y
    ['<%= "aaa".sub(/a/) { |m| m.upcase } %> <%= "$1".gsub("$", "\\\\\\\\") %>', "Aaa \\1"], // Ruby: Aaa \1
    ['<%= "Logged in to github.com account octo (keyring)".scan(/account (\\S+)/) %>', '[["octo"]]'], // Ruby: [["octo"]]
    ['<%= "a1b22".scan(/\\d+/) %>', '["1", "22"]'], // Ruby: ["1", "22"]
    ['<%= "v1.2" =~ /\\d/ %> <%= ("abc" =~ /z/).inspect %> <%= "abc".match?(/B/i) %>', "1 nil true"], // Ruby: 1 nil true
    ['<%= "a\\nb" =~ /^b/ %> <%= "ab\\n" =~ /b$/ %> <%= ("a\\nb" =~ /a.b/).inspect %> <%= "a\\nb" =~ /a.b/m %>', "2 1 nil 0"], // Ruby: 2 1 nil 0
    ['<%= "a,b;c".split(/[,;]/) %> <%= " a  b ".split %> <%= "a b".split(/(\\s)/) %>', '["a", "b", "c"] ["a", "b"] ["a", " ", "b"]'], // Ruby: same
    ['<%= "hello"[/l+/] %> <%= "key=val"[/=(.*)/, 1] %> <%= "a/b".sub(%r{/}, "|") %>', "ll val a|b"], // Ruby: ll val a|b
  ])("%s", async (template, ruby) => {
    expect(await render(template)).toBe(ruby);
  });

  test("a regexp feature JavaScript lacks is refused, not approximated", async () => {
    // Ruby: "aaa" =~ /a++/ == 0 (a possessive quantifier)
    await expect(render('<%= "aaa" =~ /a++/ %>')).rejects.toThrow(
      "config/deploy.yml:1:1: unsupported ERB: /a++/ (the regular expression uses possessive quantifiers (*+, ++, ?+))",
    );
  });
});

describe("collections and blocks", () => {
  test.each([
    ["<%= [1, [2, [3, [4]]]].flatten(1) %> <%= [1, [2, [3]]].flatten %>", "[1, 2, [3, [4]]] [1, 2, 3]"], // Ruby: [1, 2, [3, [4]]] [1, 2, 3]
    ["<%= [1,2].each_with_index.map { |x, i| x * i } %>", "[0, 2]"], // Ruby: [0, 2]
    ['<%= %w[a b].each_with_index.map { |x| x } %>', '["a", "b"]'], // Ruby: ["a", "b"]
    ['<%= %w[a b].map.with_index(1) { |x, i| "#{i}:#{x}" } %>', '["1:a", "2:b"]'], // Ruby: ["1:a", "2:b"]
    ["<%= 3.times.map { |i| i * 2 } %> <%= [3, 1, 2].sort %> <%= %w[b a].max %>", "[0, 2, 4] [1, 2, 3] b"], // Ruby: [0, 2, 4] [1, 2, 3] b
    ["<% x ||= 1 %><%= x %> <% y = nil %><% y ||= 2 %><%= y %>", "1 2"], // Ruby: 1 2
    ['<%= "a_b-c".tr("_-", "  ") %>', "a b c"], // Ruby: a b c
  ])("%s", async (template, ruby) => {
    expect(await render(template)).toBe(ruby);
  });

  test("+= on a new variable fails as in Ruby, in Ruby's words", async () => {
    // Ruby: NoMethodError (undefined method `+' for nil)
    await expect(render("<% n += 1 %>")).rejects.toThrow("undefined method '+' for nil (NoMethodError) in <% n += 1 %>");
  });
});

describe("begin / rescue / end", () => {
  test("across tags, naming the class and binding the error", async () => {
    // Ruby: a + "rescued: key not found: \"NOPE\""
    expect(await render('<% begin %>a<%= ENV.fetch("NOPE") %><% rescue KeyError => e %>rescued: <%= e.message %><% end %>'))
      .toBe('arescued: key not found: "NOPE"');
  });

  test("inside one tag, with ensure", async () => {
    // Ruby: fallback done
    expect(await render('<%\nbegin\n  v = Integer("zz")\nrescue\n  v = "fallback"\nensure\n  w = "done"\nend\n%><%= v %> <%= w %>')).toBe("fallback done");
  });

  test("a rescue naming another class lets the error through", async () => {
    await expect(render('<% begin %><%= nil.strip %><% rescue KeyError %>no<% end %>')).rejects.toThrow("undefined method 'strip' for nil (NoMethodError)");
  });
});

test("Dir.pwd, File.expand_path, File.exist?, File.join, File.basename", async () => {
  // Ruby (in /tmp, HOME=/home/deployer): /tmp /x/b /home/deployer/.ssh false a/b/c y
  expect(await render('<%= Dir.pwd %> <%= File.expand_path("a/../b", "/x") %> <%= File.expand_path("~/.ssh") %> <%= File.exist?("no-such-file") %> <%= File.join("a/", "b", "c") %> <%= File.basename("x/y.rb", ".rb") %>'))
    .toBe("/tmp /x/b /home/deployer/.ssh false a/b/c y");
});

test("an ambiguous `/` after a name is refused, as Ruby would decide by whether the name is a variable", async () => {
  const err = await render('<%= ENV["A"].split /,/ %>').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).message).toContain("unsupported ERB: /,/ (ambiguous `/` after a name: write method(/regexp/) or a / b)");
});
