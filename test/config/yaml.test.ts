import { describe, expect, test } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { RubyBignum, RubyFloat, RubySymbolValue } from "../../src/ruby-scalar.ts";
import { parseYaml } from "../../src/config/yaml.ts";

const value = (text: string) => parseYaml(`v: ${text}\n`, "config/deploy.yml").value as { v: unknown };

describe("plain scalars resolve as Psych resolves them (YAML 1.1)", () => {
  test.each([
    ["yes", true], ["Yes", true], ["ON", true], ["true", true],
    ["no", false], ["off", false], ["FALSE", false],
    ["y", "y"], ["n", "n"], ["yess", "yess"],
    ["0755", 493], ["-0755", -493], ["0x1F", 31], ["0b101", 5],
    ["40_000_000", 40000000], ["1,000", 1000], ["42", 42], ["09", "09"],
    ["12:30", 45000], ["22:22", 80520], ["443:43", 1597380], ["1:30:15", 5415],
    ["3306:3306", "3306:3306"], ["8080:80", "8080:80"], ["127.0.0.1:3306:3306", "127.0.0.1:3306:3306"],
    ["1.5", new RubyFloat(1.5)], ["1.3.0", "1.3.0"], [".inf", new RubyFloat(Infinity)], ["-.inf", new RubyFloat(-Infinity)],
    [":verbose", new RubySymbolValue("verbose")], ["~", null], ["null", null], ["", null],
    ["web-1", "web-1"], ["a1", "a1"], ["'yes'", "yes"], ['"0755"', "0755"], ["!!str 0755", "0755"],
  ])("%s", (text, expected) => {
    expect(value(text).v).toEqual(expected);
  });

  // Ruby 3.1, Psych 4: YAML.unsafe_load("v: TEXT")["v"].utc beside each row. Times roll over as Time.utc rolls
  // them, and no zone is the same instant as UTC.
  test.each([
    ["2024-02-30 10:00:00", "2024-03-01T10:00:00.000Z"], // 2024-03-01 10:00:00 UTC
    ["2024-01-01 10:00:00", "2024-01-01T10:00:00.000Z"], // 2024-01-01 10:00:00 UTC (TZ=America/New_York too)
    ["2024-01-01 10:00:00 +1", "2024-01-01T09:00:00.000Z"], // 2024-01-01 09:00:00 UTC
    ["2024-01-01T24:00:00Z", "2024-01-02T00:00:00.000Z"], // 2024-01-02 00:00:00 UTC
    ["2024-01-01T10:00:00.5-01:30", "2024-01-01T11:30:00.500Z"], // 2024-01-01 11:30:00.5 UTC
  ])("time %s", (text, iso) => {
    expect((value(text).v as Date).toISOString()).toBe(iso);
  });

  test("a word on a line of its own decides, as Ruby's ^ and $ match at every line", () => {
    expect(value('"n\\nno"').v).toBe("n\nno"); // a quoted string is never scanned
    expect(parseYaml("v: n\n\n  no\n", "config/deploy.yml").value).toEqual({ v: false }); // Ruby: {"v"=>false}
  });

  // Ruby 3.1, Psych 4: YAML.unsafe_load("v: TEXT")["v"], inspected, beside each row.
  test.each([
    ["3.0", new RubyFloat(3), "3.0"], // Ruby: 3.0
    ["1.", new RubyFloat(1), "1.0"], // Ruby: 1.0
    ["1.0e+3", new RubyFloat(1000), "1000.0"], // Ruby: 1000.0
    ["1.0e+20", new RubyFloat(1e20), "1.0e+20"], // Ruby: 1.0e+20
    ["12345678901234567.0", new RubyFloat(12345678901234568), "1.2345678901234568e+16"], // Ruby: 1.2345678901234568e+16
    ["1_000.5", new RubyFloat(1000.5), "1000.5"], // Ruby: 1000.5
    ["-0.0", new RubyFloat(-0), "-0.0"], // Ruby: -0.0
    [".NaN", new RubyFloat(NaN), "NaN"], // Ruby: NaN
    ["1e20", "1e20", "1e20"], // Ruby: "1e20" (YAML 1.1 floats need a dot)
    ["1234567890123456789", new RubyBignum(1234567890123456789n), "1234567890123456789"], // Ruby: 1234567890123456789
    ["0x1_0000_0000_0000_0000", new RubyBignum(0x10000000000000000n), "18446744073709551616"], // Ruby: 18446744073709551616
    ["9007199254740991", 9007199254740991, "9007199254740991"], // Ruby: 9007199254740991 (still exact as a number)
    ["-1:30", -1800, "-1800"], // Ruby: -1800
    ["-1:30:10", -1790, "-1790"], // Ruby: -1790
    ["1:30.5", new RubyFloat(5430), "5430.0"], // Ruby: 5430.0
    [':"a b"', new RubySymbolValue("a b"), "a b"], // Ruby: :"a b"
    ["::x", new RubySymbolValue(":x"), ":x"], // Ruby: :":x"
  ])("%s is a Ruby value, printed as Ruby's to_s", (text, expected, toS) => {
    const v = value(text).v;
    expect(v).toEqual(expected);
    expect(String(v)).toBe(toS);
  });

  test("a date becomes a Date at UTC midnight", () => {
    expect(value("2024-01-31").v).toEqual(new Date(Date.UTC(2024, 0, 31)));
  });

  test("a block scalar stays text", () => {
    expect(parseYaml("v: |\n  yes\n  0755\n", "f.yml").value).toEqual({ v: "yes\n0755\n" });
  });
});

describe("anchors and merge keys", () => {
  const text = `x-base: &base
  cmd: bin/worker
  options:
    memory: 1g
servers:
  jobs:
    <<: *base
    cmd: bin/jobs
  mail:
    cmd: overridden
    <<: [*base]
`;

  test("keys after `<<` win; keys before it are replaced by the merged ones", () => {
    expect(parseYaml(text, "f.yml").value).toEqual({
      "x-base": { cmd: "bin/worker", options: { memory: "1g" } },
      servers: {
        jobs: { cmd: "bin/jobs", options: { memory: "1g" } },
        mail: { cmd: "bin/worker", options: { memory: "1g" } },
      },
    });
  });

  test("locate finds a key that came through a merge at its anchor", () => {
    expect(parseYaml(text, "f.yml").locate(["servers", "jobs", "options"])).toEqual({ line: 3, column: 3 });
  });
});

describe("locate", () => {
  const parsed = parseYaml("service: app\nservers:\n  web:\n    hosts:\n      - 1.1.1.1\n      - 1.1.1.2\n", "f.yml");

  test("points at the key of a mapping entry", () => {
    expect(parsed.locate(["servers", "web", "hosts"])).toEqual({ line: 4, column: 5 });
  });

  test("points at the item of a sequence entry", () => {
    expect(parsed.locate(["servers", "web", "hosts", 1])).toEqual({ line: 6, column: 9 });
  });

  test("is undefined for a path that is not there", () => {
    expect(parsed.locate(["servers", "workers"])).toBeUndefined();
  });

  test("maps lines back through sourceLine", () => {
    const shifted = parseYaml("a: 1\nb: 2\n", "f.yml", { sourceLine: (line) => line + 10 });
    expect(shifted.locate(["b"])).toEqual({ line: 12, column: 1 });
  });
});

test("a base-60 number warns, since it is almost always a port mapping", () => {
  const parsed = parseYaml('accessories:\n  ssh:\n    port: 22:22\n    other: "22:22"\n', "config/deploy.yml");
  expect(parsed.value).toEqual({ accessories: { ssh: { port: 80520, other: "22:22" } } });
  expect(parsed.warnings).toEqual([
    'config/deploy.yml:3:11: 22:22 is read as the number 80520 (YAML 1.1 base 60); quote it ("22:22") if it is a port mapping or a time',
  ]);
});

test("a duplicate key keeps the last value and warns with its position", () => {
  const parsed = parseYaml("service: a\nservice: b\n", "config/deploy.yml");
  expect(parsed.value).toEqual({ service: "b" });
  expect(parsed.warnings).toEqual(['config/deploy.yml:2:1: duplicate key "service": the last one wins']);
});

test("broken YAML is a ConfigError with file, line, column and a fix", () => {
  let error: unknown;
  try {
    parseYaml("service: app\nservers:\n\t- 1.1.1.1\n", "config/deploy.yml");
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).exitCode).toBe(2);
  expect((error as ConfigError).issues).toEqual([{
    file: "config/deploy.yml",
    path: "",
    message: "invalid YAML: Tabs are not allowed as indentation",
    fix: "indent with spaces; YAML does not allow tabs for indentation",
    line: 3,
    column: 1,
  }]);
});

test("an alias without its anchor is an issue", () => {
  expect(() => parseYaml("service: app\nservers: *web_hosts\n", "config/deploy.yml")).toThrow(
    "config/deploy.yml:2:10: unknown alias *web_hosts\n  fix: define the anchor &web_hosts above this line",
  );
});

test("an unclosed flow sequence names its line", () => {
  expect(() => parseYaml("service: app\nservers: [1.1.1.1\nimage: x\n", "config/deploy.yml")).toThrow(/^config\/deploy\.yml:\d+:\d+: invalid YAML: /);
});

describe("tags as Psych reads them", () => {
  test.each([
    ["!!float \"1\"", new RubyFloat(1)], // Ruby: 1.0
    ["!!float 1:30", new RubyFloat(5400)], // Ruby: 5400.0
    ["!!float 017", new RubyFloat(15)], // Ruby: 15.0
    ["!!float 1e5", new RubyFloat(100000)], // Ruby: 100000.0 (Float("1e5"))
    ["!!float '0x1F'", new RubyFloat(31)], // Ruby: 31.0
    ["!!float 0x1.8p1", new RubyFloat(3)], // Ruby: 3.0
    ["!!float 0x1p-2", new RubyFloat(0.25)], // Ruby: 0.25
    ["!!float 0x_1", new RubyFloat(1)], // Ruby: 1.0 (tokenized as the Integer 1 first)
    ["!!binary aGVsbG8=", "hello"], // Ruby: "hello"
    ["!!binary |\n  aGVs\n  bG8", "hello"], // Ruby: "hello"
    ["!!int \"12\"", 12], // Ruby: 12
    ["!!int abc", "abc"], // Ruby: "abc"
    ["! \"12\"", 12], // Ruby: 12
    ["!custom yes", true], // Ruby: true
    ["!!str 12", "12"], // Ruby: "12"
    ["!ruby/symbol debug", new RubySymbolValue("debug")], // Ruby: :debug
    ["!ruby/sym \":foo\"", new RubySymbolValue(":foo")], // Ruby: :":foo"
  ])("%s", (text, expected) => {
    expect(value(text).v).toEqual(expected);
  });

  test.each([
    ["!!float abc", 'abc: invalid value for Float(): "abc" (Psych stops here)'], // Ruby: ArgumentError
    ["!!float \"12abc\"", '12abc: invalid value for Float(): "12abc" (Psych stops here)'], // Ruby: ArgumentError
    ["!!float 0x1.8", '0x1.8: invalid value for Float(): "0x1.8" (Psych stops here)'], // Ruby: ArgumentError
    ["!!float true", "true: can't convert true into Float (Psych stops here)"], // Ruby: TypeError
    ["!!float", ": can't convert nil into Float (Psych stops here)"], // Ruby: TypeError
  ])("%s is refused where Psych raises", (text, message) => {
    expect(() => value(text)).toThrow(ConfigError);
    try {
      value(text);
    } catch (err) {
      expect((err as ConfigError).issues[0]?.message).toBe(message);
    }
  });
});

describe("streams and line breaks as libyaml reads them", () => {
  test("only the first document counts; later ones are not even checked", () => {
    expect(parseYaml("---\nservice: a\n---\nservice: [broken\n", "f.yml").value).toEqual({ service: "a" }); // Ruby: {"service"=>"a"}
  });

  test("an empty stream is nil", () => {
    expect(parseYaml("", "f.yml").value).toBeNull();
  });

  test("a lone CR ends a line (old Mac line endings)", () => {
    expect(parseYaml("service: a\rimage: b\r", "f.yml").value).toEqual({ service: "a", image: "b" }); // Ruby: {"service"=>"a", "image"=>"b"}
  });

  test("Symbol keys name the key without the colon, as Kamal's symbolize_keys sees it", () => {
    expect(parseYaml(":service: a\n", "f.yml").value).toEqual({ service: "a" }); // Ruby: {:service=>"a"}
  });
});

test("a list or hash key is named by Ruby's inspect, as Kamal's to_s names it", () => {
  const text = 'env:\n  ? [a, b]\n  : c\n  ? {x: 1, "y": [2.5, "s\\t", nil, null, 12345678901234567890, "#{z}"]}\n  : d\n' +
    '  ? [":a", "\\u2028", 3.0, !ruby/symbol "a b", !ruby/symbol b]\n  : e\n  ? []\n  : f\n';
  // Ruby: YAML.unsafe_load(text)["env"].keys.map(&:to_s)
  expect(Object.keys((parseYaml(text, "f.yml").value as { env: object }).env)).toEqual([
    '["a", "b"]',
    '{"x"=>1, "y"=>[2.5, "s\\t", "nil", nil, 12345678901234567890, "\\#{z}"]}',
    '[":a", "\\u2028", 3.0, :"a b", :b]',
    "[]",
  ]);
});

test("the base-60 warning is for numbers, not for symbols with a colon", () => {
  expect(parseYaml("a: :debug\nb: 1:30.5\n", "f.yml").warnings).toEqual([
    'f.yml:2:4: 1:30.5 is read as the number 5430.0 (YAML 1.1 base 60); quote it ("1:30.5") if it is a port mapping or a time',
  ]);
});

