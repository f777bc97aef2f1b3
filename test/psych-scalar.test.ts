import { expect, test } from "vitest";
import { plainKind } from "../src/psych-scalar.ts";

// Expected kinds are what Ruby's Psych::ScalarScanner#tokenize returns (the value is written after each case),
// checked with ruby 3.1 / Psych 4.0.3 on this machine.
test.each([
    ["web", "string"], // "web"
    ["yes", "other"], // true
    ["Yes", "other"], // true
    ["YES", "other"], // true
    ["y", "string"], // "y"
    ["no", "other"], // false
    ["off", "other"], // false
    ["on", "other"], // true
    ["true", "other"], // true
    ["null", "other"], // nil
    ["~", "other"], // nil
    ["nullx", "string"], // "nullx"
    ["", "other"], // nil
    ["tilde~", "string"], // "tilde~"
    ["1", "other"], // 1
    ["-1", "other"], // -1
    ["+1", "other"], // 1
    ["1,000", "other"], // 1000
    ["1_000", "other"], // 1000
    ["0755", "other"], // 493
    ["0b101", "other"], // 5
    ["0x1F", "other"], // 31
    ["08", "string"], // "08"
    ["1.5", "other"], // 1.5
    ["1.", "other"], // 1.0
    [".5", "other"], // 0.5
    [".", "string"], // "."
    ["-.", "string"], // "-."
    ["1e3", "string"], // "1e3"
    ["1.0e+3", "other"], // 1000.0
    ["1:30", "other"], // 5400
    ["1:30.5", "other"], // 5430.0
    ["-1:30", "other"], // -1800
    ["2024-01-01", "other"], // #<Date: 2024-01-01 ((2460311j,0s,0n),+0s,2299161j)>
    ["2024-02-30", "string"], // "2024-02-30"
    ["2024-13-01", "string"], // "2024-13-01"
    ["2024-01-01 10:00:00", "other"], // 2024-01-01 10:00:00 +0000
    ["2024-01-01T10:00:00Z", "other"], // 2024-01-01 10:00:00 UTC
    ["2024-01-32 10:00:00", "string"], // "2024-01-32 10:00:00"
    [".inf", "other"], // Infinity
    ["-.inf", "other"], // -Infinity
    [".NaN", "other"], // NaN
    [":sym", "symbol"], // :sym
    [":a b", "symbol"], // :"a b"
    [":", "string"], // ":"
    ["a:b", "string"], // "a:b"
    ["/a:/b", "string"], // "/a:/b"
    ["no\n", "other"], // false
    ["yes\n", "other"], // true
    ["é", "string"], // "é"
    ["ñu", "string"], // "ñu"
    ["truely", "string"], // "truely"
    ["NULL", "other"], // nil
] as const)("Psych reads plain %j as a %s", (text, kind) => {
  expect(plainKind(text)).toBe(kind);
});
