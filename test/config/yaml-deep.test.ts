// Deeply nested YAML, read as Psych reads it. Expected values were measured with Ruby 3.1.2 and Psych 4.0.3 (CI has
// no Ruby): `YAML.unsafe_load(text)["x-deep"]` descended one level at a time, as `levelsAndInnermost` does here.
// Psych's limit is its stack: with these texts it reads 1,306 levels of lists (flow or block) and 960 of hashes,
// and one more level raises SystemStackError. sextant reads up to 1,500 levels (the document's hash included).
import { describe, expect, test } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { isHash } from "../../src/config/merge.ts";
import { rubyKeysOf } from "../../src/config/ruby-keys.ts";
import { parseYaml } from "../../src/config/yaml.ts";
import { RubyBignum, RubyFloat, RubySymbolValue } from "../../src/ruby-scalar.ts";

const FILE = "config/deploy.yml";

/** `service: app` and an `x-deep` value nested `levels` deep, each kind with Ruby-typed values at the bottom. */
const texts = {
  "flow lists": (levels: number) =>
    `service: app\nx-deep: ${"[".repeat(levels - 1)}[1.0, !ruby/symbol sym, 12345678901234567890, yes, 22:22]${"]".repeat(levels - 1)}\n`,
  "flow hashes": (levels: number) =>
    `service: app\nx-deep: ${"{a: ".repeat(levels - 1)}{2: b, 1: a, f: 1.0, s: !ruby/symbol sym}${"}".repeat(levels - 1)}\n`,
  "block lists": (levels: number) => `service: app\nx-deep:\n${"- ".repeat(levels)}:sym\n${" ".repeat(2 * (levels - 1))}- 1.0\n`,
  "block hashes": (levels: number) =>
    `service: app\nx-deep:\n${Array.from({ length: levels - 1 }, (_, i) => `${" ".repeat(i + 1)}a:\n`).join("")}${" ".repeat(levels)}2: b\n${" ".repeat(levels)}f: 1.0\n`,
};
type Kind = keyof typeof texts;

/** Counts the levels of one-item lists and `a:` hashes down to the innermost value, without recursion. */
function levelsAndInnermost(value: unknown): { levels: number; innermost: unknown } {
  let levels = 1;
  let current = value;
  for (;;) {
    const [only] = Array.isArray(current) && current.length === 1 ? current : [];
    if (typeof only === "object" && only !== null) current = only;
    else if (isHash(current) && Object.keys(current).join() === "a") current = current.a;
    else return { levels, innermost: current };
    levels++;
  }
}

// Ruby: the innermost value, inspected.
const innermost: Record<Kind, unknown> = {
  // [1.0, :sym, 12345678901234567890, true, 80520]
  "flow lists": [new RubyFloat(1), new RubySymbolValue("sym"), new RubyBignum(12345678901234567890n), true, 80520],
  // {2=>"b", 1=>"a", "f"=>1.0, "s"=>:sym}
  "flow hashes": { 2: "b", 1: "a", f: new RubyFloat(1), s: new RubySymbolValue("sym") },
  // [:sym, 1.0]
  "block lists": [new RubySymbolValue("sym"), new RubyFloat(1)],
  // {2=>"b", "f"=>1.0}
  "block hashes": { 2: "b", f: new RubyFloat(1) },
};

/** The path to the innermost value's last entry, and where Ruby's text has it (line, column). */
function lastEntry(kind: Kind, levels: number): { path: (string | number)[]; line: number; column: number } {
  const down = Array<string | number>(levels - 1).fill(kind.includes("lists") ? 0 : "a");
  if (kind === "flow lists") return { path: ["x-deep", ...down, 4], line: 2, column: 9 + (levels - 1) + "[1.0, !ruby/symbol sym, 12345678901234567890, yes, ".length };
  if (kind === "flow hashes") return { path: ["x-deep", ...down, "s"], line: 2, column: 9 + 4 * (levels - 1) + "{2: b, 1: a, f: 1.0, ".length };
  if (kind === "block lists") return { path: ["x-deep", ...down, 1], line: 4, column: 2 * (levels - 1) + 3 };
  return { path: ["x-deep", ...down, "f"], line: levels + 3, column: levels + 1 };
}

const PSYCH_MAXIMUM: Record<Kind, number> = { "flow lists": 1306, "flow hashes": 960, "block lists": 1306, "block hashes": 960 };

describe.each(Object.keys(texts) as Kind[])("%s", (kind) => {
  // At 1,000 levels Psych raises SystemStackError for hashes (its maximum is 960): Kamal stops there, sextant reads on.
  test.each([1000, PSYCH_MAXIMUM[kind]])("%i levels read as Psych reads them, and are located", (levels) => {
    const parsed = parseYaml(texts[kind](levels), FILE);
    const value = parsed.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["service", "x-deep"]);
    const found = levelsAndInnermost(value["x-deep"]);
    expect(found.levels).toBe(levels);
    expect(found.innermost).toEqual(innermost[kind]);
    const { path, line, column } = lastEntry(kind, levels);
    expect(parsed.locate(path)).toEqual({ line, column });
  });
}, 20_000);

describe("Ruby's types and order cross the worker thread", () => {
  test("a hash keeps Ruby's keys and their written order", () => {
    const { innermost: hash } = levelsAndInnermost((parseYaml(texts["flow hashes"](1000), FILE).value as Record<string, unknown>)["x-deep"]);
    expect(rubyKeysOf(hash as object)).toEqual([["2", 2], ["1", 1], ["f", "f"], ["s", "s"]]);
  });

  test("times, nil, strings and a __proto__ key come back as they were read", () => {
    const text = `x: ${"[".repeat(300)}{__proto__: 1, t: 2024-01-01 10:00:00 +1, n: ~, s: "yes"}${"]".repeat(300)}\n`;
    const hash = levelsAndInnermost((parseYaml(text, FILE).value as Record<string, unknown>).x).innermost as Record<string, unknown>;
    expect(Object.getPrototypeOf(hash)).toBe(Object.prototype);
    expect(Object.entries(hash)).toEqual([["__proto__", 1], ["t", new Date("2024-01-01T09:00:00.000Z")], ["n", null], ["s", "yes"]]);
  });

  test("warnings keep their line and column", () => {
    const parsed = parseYaml(texts["flow lists"](1000), FILE);
    expect(parsed.warnings).toEqual([
      `${FILE}:2:1059: 22:22 is read as the number 80520 (YAML 1.1 base 60); quote it ("22:22") if it is a port mapping or a time`,
    ]);
  });
});

describe("beyond 1,500 levels", () => {
  function refusal(text: string): ConfigError {
    const started = Date.now();
    try {
      parseYaml(text, FILE);
    } catch (err) {
      expect(Date.now() - started).toBeLessThan(2000);
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error("expected a ConfigError");
  }

  test("1,499 levels under the document's hash are read, one more is refused", () => {
    expect(levelsAndInnermost((parseYaml(texts["flow lists"](1499), FILE).value as Record<string, unknown>)["x-deep"]).levels).toBe(1499);
    expect(refusal(texts["flow lists"](1500)).message).toMatchInlineSnapshot(`
      "config/deploy.yml:2:1508: invalid YAML: nested deeper than sextant reads (1,500 levels)
        fix: nest lists and hashes less deeply; Kamal's YAML reader (Psych) stops at about 1,000 levels"
    `);
  });

  // Where the 1,501st level starts: line and column.
  test.each([
    ["flow hashes", 2, 9 + 4 * 1499],
    ["block lists", 3, 1 + 2 * 1499],
    ["block hashes", 1502, 1501],
  ] as const)("%s are refused at the first level too deep", (kind, line, column) => {
    const issue = refusal(texts[kind](1500)).issues[0];
    expect(issue).toMatchObject({ file: FILE, line, column, message: "invalid YAML: nested deeper than sextant reads (1,500 levels)" });
  });

  test("a megabyte of brackets is refused as quickly", () => {
    expect(refusal(`x: ${"[".repeat(500_000)}${"]".repeat(500_000)}\n`).issues).toHaveLength(1);
  });

  test("nesting that aliases add up to is refused where the alias makes it too deep", () => {
    const text = `x-a: &a ${"[".repeat(1000)}${"]".repeat(1000)}\nx-b: ${"[".repeat(600)}*a${"]".repeat(600)}\n`;
    expect(refusal(text).issues[0]).toMatchObject({ line: 1, column: 9 + 899, message: "invalid YAML: nested deeper than sextant reads (1,500 levels)" });
  });

  test("a later document is not read, however deep (Psych reads only the first)", () => {
    expect(parseYaml(`a: 1\n---\n${"[".repeat(5000)}${"]".repeat(5000)}\n`, FILE).value).toEqual({ a: 1 });
  });
});
