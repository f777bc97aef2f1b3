import { expect, test } from "vitest";
import { extractSecret } from "../../src/secrets/extract.ts";
import { fetchedJson } from "../../src/secrets/fetch.ts";

test("an exact key wins, else the first key ending in /NAME", () => {
  expect(extractSecret("foo", '{"foo":"oof", "bar":"rab", "baz":"zab"}')).toBe("oof");
  expect(extractSecret("foo", '{"abc/foo":"oof", "bar":"rab", "x/y/foo":"no"}')).toBe("oof");
  expect(extractSecret("foo", '{"a/foo":"first","foo":"exact"}')).toBe("exact");
});

test("a null exact value falls through to the /NAME search, like Ruby's ||", () => {
  expect(extractSecret("foo", '{"foo":null,"v/foo":"found"}')).toBe("found");
});

test("a missing key lists what was fetched, never the values", () => {
  let error: unknown;
  try {
    extractSecret("nope", '{"a/b":"secret-value","c":"other"}');
  } catch (err) {
    error = err;
  }
  expect(error).toMatchObject({ message: "Could not find secret nope", hint: "the fetched secrets have: a/b, c" });
  expect(() => extractSecret("x", '{"x":null}')).toThrow("Could not find secret x");
});

test("input that is not a JSON object is explained", () => {
  expect(() => extractSecret("x", "not json")).toThrow("Could not find secret x: the secrets given are not a JSON object");
  expect(() => extractSecret("x", "[1]")).toThrow("Could not find secret x: the secrets given are not a JSON object");
});

test("fetch output is compact JSON in the vendor's order, numeric-looking keys included", () => {
  expect(fetchedJson(new Map<string, string | null>([["b", "1"], ["10", 'q"uote'], ["a", null]]))).toBe('{"b":"1","10":"q\\"uote","a":null}');
});
