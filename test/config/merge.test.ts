import { expect, test } from "vitest";
import { deepMerge } from "../../src/config/merge.ts";

test("mappings merge key by key, recursively", () => {
  expect(deepMerge({ env: { clear: { A: "1", B: "2" } }, service: "app" }, { env: { clear: { B: "3" } } }))
    .toEqual({ env: { clear: { A: "1", B: "3" } }, service: "app" });
});

test("a list in the destination replaces the base list", () => {
  expect(deepMerge({ servers: { web: { hosts: ["1.1.1.1", "1.1.1.2"] } } }, { servers: { web: { hosts: ["2.2.2.2"] } } }))
    .toEqual({ servers: { web: { hosts: ["2.2.2.2"] } } });
});

test("a scalar replaces a mapping and a mapping replaces a scalar", () => {
  expect(deepMerge({ proxy: { host: "a" }, servers: ["1.1.1.1"] }, { proxy: false, servers: { web: ["2.2.2.2"] } }))
    .toEqual({ proxy: false, servers: { web: ["2.2.2.2"] } });
});

test("an explicit null in the destination replaces the base value", () => {
  expect(deepMerge({ stop_timeout: 10 }, { stop_timeout: null })).toEqual({ stop_timeout: null });
});

test("neither input is modified", () => {
  const base = { env: { clear: { A: "1" } } };
  deepMerge(base, { env: { clear: { A: "2" } } });
  expect(base).toEqual({ env: { clear: { A: "1" } } });
});
