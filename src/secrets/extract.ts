// `kamal secrets extract NAME JSON` (kamal lib/kamal/cli/secrets.rb): pick one value out of `fetch`'s output.
import * as z from "zod";
import { SextantError, UsageError } from "../errors.ts";
import { ownValue } from "../config/own-value.ts";

const fetched = z.record(z.string(), z.unknown());

/** The value of key NAME, else of the first key ending in `/NAME`. Non-string values come back as JSON. */
export function extractSecret(name: string, json: string): string {
  let parsed: Record<string, unknown>;
  try {
    parsed = fetched.parse(JSON.parse(json));
  } catch (cause) {
    throw new UsageError(`Could not find secret ${name}: the secrets given are not a JSON object`, {
      hint: "pass the output of `sextant secrets fetch` as the second argument, quoted as one word",
      cause,
    });
  }
  // Ruby's `||`: a null or false exact match falls through to the suffix search.
  const exact = ownValue(parsed, name);
  const value =
    exact !== null && exact !== undefined && exact !== false
      ? exact
      : Object.entries(parsed).find(([key]) => key.endsWith(`/${name}`))?.[1];
  if (value === null || value === undefined)
    throw new SextantError(`Could not find secret ${name}`, {
      hint: `the fetched secrets have: ${Object.keys(parsed).join(", ") || "(none)"}`,
    });
  return typeof value === "string" ? value : JSON.stringify(value);
}
