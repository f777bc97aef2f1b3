import { describe, expect, it } from "vitest";
import { escape } from "../../src/commands/escape.ts";

describe("escape (Kamal's escape_shell_value)", () => {
  const cases: [string, string][] = [
    ["plain", '"plain"'],
    ["with spaces, commas: and = signs", '"with spaces, commas: and = signs"'],
    ['a"b', '"a\\"b"'],
    ["$HOME", '"\\$HOME"'],
    ["${HOME}/x", '"${HOME}/x"'],
    ["$(id)", '"\\$(id)"'],
    ["a`b`", '"a\\`b\\`"'],
    ["back\\slash", '"back\\\\slash"'],
    ["new\nline", '"new\\nline"'],
    ["#{x}", '"\\#{x}"'],
    ["#plain", '"#plain"'],
    ["héllo wörld", '"h"é"llo w"ö"rld"'],
    ["", ""],
  ];
  for (const [value, expected] of cases) it(`escapes ${JSON.stringify(value)}`, () => expect(escape(value)).toBe(expected));
});
