import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { RubyObject, RubySymbol, toYaml } from "../../src/output/yaml-text.ts";

// Expected texts are what Ruby prints for `{ "k" => value }.to_yaml` (Psych + libyaml 0.2.5), checked with
// ruby 3.1 / Psych 4.0.3 on this machine. The one difference from Psych 5.2 (Ruby 3.4, what Kamal 2.12 users run):
// "Y" and "N" are double-quoted since Psych 5.2, as "y" and "n" always were; 4.0.3 writes them plain.
describe("toYaml: Psych's choice of scalar style", () => {
  test.each([
    // a string that starts with a non-word character and has no double quote: double-quoted
    ["--log-opt", "k: \"--log-opt\"\n"],
    ["%", "k: \"%\"\n"],
    ["~/.ssh/id_ed25519", "k: \"~/.ssh/id_ed25519\"\n"],
    ["/data:/data", "k: \"/data:/data\"\n"],
    [".", "k: \".\"\n"],
    [":sym", "k: \":sym\"\n"],
    ["-1", "k: \"-1\"\n"],
    [".inf", "k: \".inf\"\n"],
    ["@at", "k: \"@at\"\n"],
    ["`cmd`", "k: \"`cmd`\"\n"],
    ["{}", "k: \"{}\"\n"],
    ["[1]", "k: \"[1]\"\n"],
    ["!tag", "k: \"!tag\"\n"],
    ["&a", "k: \"&a\"\n"],
    ["*a", "k: \"*a\"\n"],
    ["|x", "k: \"|x\"\n"],
    [">x", "k: \">x\"\n"],
    ["'quoted'", "k: \"'quoted'\"\n"],
    ["? x", "k: \"? x\"\n"],
    ["- x", "k: \"- x\"\n"],
    ["---", "k: \"---\"\n"],
    // a string Ruby would read back as another type: single-quoted
    ["true", "k: 'true'\n"],
    ["yes", "k: 'yes'\n"],
    ["off", "k: 'off'\n"],
    ["null", "k: 'null'\n"],
    ["", "k: ''\n"],
    ["1", "k: '1'\n"],
    ["1.0", "k: '1.0'\n"],
    ["1_000", "k: '1_000'\n"],
    ["0755", "k: '0755'\n"],
    ["08", "k: '08'\n"],
    ["22:22", "k: '22:22'\n"],
    ["2024-01-01", "k: '2024-01-01'\n"],
    // a string Ruby reads back as a string: plain
    ["max-size=\"10m\"", "k: max-size=\"10m\"\n"],
    ["web-1", "k: web-1\n"],
    ["1.1.1.1", "k: 1.1.1.1\n"],
    ["a:b", "k: a:b\n"],
    ["é", "k: é\n"],
    ["2024-02-30", "k: 2024-02-30\n"],
    ["1e3", "k: 1e3\n"],
    // plain refused by libyaml (indicators, edges): single-quoted
    ["\"q\"", "k: '\"q\"'\n"],
    ["a: b", "k: 'a: b'\n"],
    ["x #y", "k: 'x #y'\n"],
    ["a:", "k: 'a:'\n"],
    ["trailing ", "k: 'trailing '\n"],
    // characters only double quotes can carry: escaped
    ["tab\there", "k: \"tab\\there\"\n"],
    ["\u0001", "k: \"\\x01\"\n"],
    ["\u{1F600}", "k: \"\\U0001F600\"\n"],
    ["\uFEFF", "k: \"\\uFEFF\"\n"],
    ["a\u0085b", "k: \"a\\Nb\"\n"],
    ["a \nb", "k: \"a \\nb\"\n"],
    ["\n", "k: \"\\n\"\n"],
    // a line break before the last character: a literal block, chomped to match
    ["line one\nline two", "k: |-\n  line one\n  line two\n"],
    ["line one\nline two\n", "k: |\n  line one\n  line two\n"],
    ["one\ntwo\n\n", "k: |+\n  one\n  two\n\n...\n"],
    [" indented\nsecond", "k: |2-\n   indented\n  second\n"],
    // a single trailing line break is not a block: quoted across lines
    ["ends\n", "k: 'ends\n\n  '\n"],
    // past 80 columns, lines break at a space (plain, single and double quotes alike)
    ["word word word word word word word word word word word word word word word word word word word word end", "k: word word word word word word word word word word word word word word word word\n  word word word word end\n"],
    ["--opt w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w end", "k: \"--opt w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w\n  w w w w end\"\n"],
    ["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "k: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"],
    ["it's it's it's it's it's it's it's it's it's it's it's it's it's it's it's it's it's it's it's it's ", "k: 'it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s\n  it''s it''s it''s it''s it''s it''s it''s '\n"],
    // the merge key is tagged as a string
    ["<<", "k: !!str '<<'\n"],
    // Psych 5.2 (Ruby 3.4); Psych 4 writes "Y" and "N" plain
    ["y", 'k: "y"\n'],
    ["Y", 'k: "Y"\n'],
    ["n", 'k: "n"\n'],
    ["N", 'k: "N"\n'],
  ])("%j", (value, psych) => {
    expect(toYaml({ k: value })).toBe(`---\n${psych}`);
  });
});

describe("toYaml: Psych's layout", () => {
  test("symbol keys and values, net-ssh's proxy object, blocks and lists inside hashes", () => {
    const text = toYaml(
      new Map<unknown, unknown>([
        [new RubySymbol("roles"), ["web"]],
        [new RubySymbol("ssh_options"), new Map<unknown, unknown>([
          [new RubySymbol("proxy"), new RubyObject("Net::SSH::Proxy::Jump", [["jump_proxies", "root@bastion"]])],
          [new RubySymbol("log_level"), new RubySymbol("fatal")],
        ])],
        [new RubySymbol("accessories"), { db: { cmd: "line one\nline two", options: [{ a: "b" }, [], {}, [["x"]]] } }],
      ]),
    );
    // ruby: { roles: ["web"], ssh_options: { proxy: Net::SSH::Proxy::Jump.new("root@bastion"), log_level: :fatal },
    //         accessories: { "db" => { "cmd" => "line one\nline two", "options" => [{ "a" => "b" }, [], {}, [["x"]]] } } }.to_yaml
    expect(text).toBe(`---
:roles:
- web
:ssh_options:
  :proxy: !ruby/object:Net::SSH::Proxy::Jump
    jump_proxies: root@bastion
  :log_level: :fatal
:accessories:
  db:
    cmd: |-
      line one
      line two
    options:
    - a: b
    - []
    - {}
    - - - x
`);
  });

  test("an object's nil instance variable prints as an empty value", () => {
    const command = new RubyObject("Net::SSH::Proxy::Command", [["command_line_template", "ssh -W %h:%p bastion"], ["command_line", null], ["timeout", 60]]);
    // ruby: { proxy: Net::SSH::Proxy::Command.new("ssh -W %h:%p bastion") }.to_yaml
    expect(toYaml(new Map([[new RubySymbol("proxy"), command]]))).toBe(`---
:proxy: !ruby/object:Net::SSH::Proxy::Command
  command_line_template: ssh -W %h:%p bastion
  command_line:
  timeout: 60
`);
  });

  test("breaks at 80 columns count the indentation; keys past 128 bytes go explicit; odd symbols are tagged", () => {
    const text = toYaml(
      new Map<unknown, unknown>([
        ["list", [`--volume ${"/very/long/path:/mnt ".repeat(5)}`, "x\ny"]],
        ["k".repeat(129), 1],
        [new RubySymbol(""), new RubySymbol("a: b")],
      ]),
    );
    // ruby: { "list" => ["--volume " + "/very/long/path:/mnt " * 5, "x\ny"], "k" * 129 => 1, :"" => :"a: b" }.to_yaml
    expect(text).toBe(`---
list:
- "--volume /very/long/path:/mnt /very/long/path:/mnt /very/long/path:/mnt /very/long/path:/mnt
  /very/long/path:/mnt "
- |-
  x
  y
? ${"k".repeat(129)}
: 1
!ruby/symbol '': ! ':a: b'
`);
  });

  test("numbers as Ruby prints Integers and Floats; true, false, nil", () => {
    // ruby: { "f" => [1.5, 0.1, 2.5e-7, 1e-5, -0.25], "i" => [22, -1, 0], "b" => [true, false, nil] }.to_yaml
    expect(toYaml({ f: [1.5, 0.1, 2.5e-7, 1e-5, -0.25], i: [22, -1, 0], b: [true, false, null] })).toBe(`---
f:
- 1.5
- 0.1
- 2.5e-07
- 1.0e-05
- -0.25
i:
- 22
- -1
- 0
b:
- true
- false
-
`);
  });

  test.each([
    ["yes"], ["off"], ["~"], ["0755"], ["1_000"], ["22:22"], ["1.5"], ["2024-01-01"], [""], ["a: b"], ["x #y"],
    ["'quoted'"], ["-dash"], ["* star"], ["line\nbreak"], ["tab\there"], ["trailing "], ["{}"], ["[1]"], ["@at"],
    ["a\n"], ["a\n\n"], [`${"long ".repeat(40)}words`], [`-${"long ".repeat(40)}`], [`'${"long ".repeat(40)}`],
  ])("reads %j back as the same string under YAML 1.1", (value) => {
    const doc = { list: [value], map: { key: value, nested: [{ a: value }] } };
    expect(parse(toYaml(doc), { version: "1.1" })).toEqual(doc);
  });
});
