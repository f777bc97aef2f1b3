import { expect, test } from "vitest";
import { shellEscape, shellSplit } from "../../src/secrets/shell-words.ts";

test.each([
  ["", "''"],
  ["plain-word_1.2,3:4+5/6@7", "plain-word_1.2,3:4+5/6@7"],
  ["my item", "my\\ item"],
  [`{"a":"b$c"}`, String.raw`\{\"a\":\"b\$c\"\}`],
  ["it's", "it\\'s"],
  ["two\nlines", "two'\n'lines"],
  ["café", "caf\\é"],
])("shellEscape(%j) is Ruby's %j", (value, escaped) => {
  expect(shellEscape(value)).toBe(escaped);
});

test.each([
  ["a b  c", ["a", "b", "c"]],
  [`a 'b c' "d\\"e" f\\ g`, ["a", "b c", 'd"e', "f g"]],
  [`x"y"'z'`, ["xyz"]],
  [`"keep \\n and \\$"`, ["keep \\n and $"]],
  ["  leading and trailing  ", ["leading", "and", "trailing"]],
  ["", []],
  ["''", [""]],
])("shellSplit(%j)", (line, words) => {
  expect(shellSplit(line)).toEqual(words);
});

test("shellSplit undoes shellEscape", () => {
  const values = [`{"a":"p@ss$word (x)"}`, "two\nlines", "", "ünï cødé"];
  expect(shellSplit(values.map(shellEscape).join(" "))).toEqual(values);
});

test("an unmatched quote is an error that points at it", () => {
  expect(() => shellSplit("a 'b")).toThrow("Unmatched quote at 2: ...'");
  expect(() => shellSplit(`"b`)).toThrow(`Unmatched quote at 0: "`);
});

// Ruby 3.1: Shellwords.split("x\\") == ["x\\"], Shellwords.split("\"a\\\nb\"") == ["a\nb"], Shellwords.split("\\\n") == ["\\\n"]
test.each([
  ["x\\", ["x\\"]],
  ['"a\\\nb"', ["a\nb"]],
  ["\\\n", ["\\\n"]],
  ["a\\\nb", ["a\\\nb"]],
])("shellSplit(%j) keeps the backslashes Ruby keeps", (line, words) => {
  expect(shellSplit(line)).toEqual(words);
});
