import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { event } from "../../src/output/events.ts";

test("docs/json-output.md documents every event type", () => {
  const doc = readFileSync(new URL("../../docs/json-output.md", import.meta.url), "utf8");
  const documented = new Set([...doc.matchAll(/^### `([a-z.]+)`/gm)].flatMap((m) => (m[1] ? [m[1]] : [])));
  for (const m of doc.matchAll(/^### `([a-z.]+)` and `([a-z.]+)`/gm)) if (m[2]) documented.add(m[2]);
  const types = event.options.map((o) => o.shape.type.value);
  expect(types.filter((t) => !documented.has(t))).toEqual([]);
});
