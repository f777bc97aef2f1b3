import { expect, test } from "vitest";
import { inspect, inspectList, split } from "../../src/secrets/ruby.ts";

test("inspect quotes like Ruby's String#inspect", () => {
  expect(inspect(String.raw`abc\ def-123`)).toBe(String.raw`"abc\\ def-123"`);
  expect(inspect(`say "hi"\n\t#{x} #y \x01 é`)).toBe(String.raw`"say \"hi\"\n\t\#{x} #y \u0001 é"`);
});

test("inspectList prints an Array of strings", () => {
  expect(inspectList(["SECRET1", "FOLDER1/FSECRET1"])).toBe('["SECRET1", "FOLDER1/FSECRET1"]');
  expect(inspectList([])).toBe("[]");
});

test("split drops trailing empty fields like Ruby", () => {
  expect([split("a/b/", "/"), split("a//b", "/"), split("", "/"), split("/a", "/")]).toEqual([["a", "b"], ["a", "", "b"], [], ["", "a"]]);
});
