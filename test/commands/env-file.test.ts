import { describe, expect, it } from "vitest";
import { envFileBody } from "../../src/commands/env-file.ts";
import { Secret } from "../../src/config/secret.ts";

const line = (value: string) => envFileBody([["V", new Secret(value)]]);

describe("env file body", () => {
  const cases: [string, string][] = [
    ['abc"def', 'V=abc"def\n'],
    ["p@ss$word with space", "V=p@ss$word with space\n"],
    ["back\\slash", "V=back\\\\slash\n"],
    ["new\nline", "V=new\\nline\n"],
    ["#{x} `id`", "V=#{x} `id`\n"],
    ["tab\there\x01", "V=tab\\there\\x01\n"],
    ["héllo wörld", "V=héllo wörld\n"],
  ];
  for (const [value, expected] of cases) it(`writes ${JSON.stringify(value)} as docker reads it`, () => expect(line(value)).toBe(expected));

  it("writes one line per secret in order", () => {
    expect(envFileBody([["A", new Secret("1")], ["B", new Secret("2")]])).toBe("A=1\nB=2\n");
  });
  it("writes a lone newline when there are no secrets", () => {
    expect(envFileBody([])).toBe("\n");
  });
});
