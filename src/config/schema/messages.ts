// Kamal's wording for zod's issues (kamal lib/kamal/configuration/validator.rb: type_description,
// unknown_keys_error). Passed as the per-parse error map so our own zod schemas elsewhere keep zod's wording.
import type { z } from "zod";

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "an integer",
  int: "an integer",
  boolean: "a boolean",
  array: "an array",
  object: "a hash",
  record: "a hash",
};

export const unknownKeysMessage = (keys: readonly string[]): string =>
  `unknown ${keys.length === 1 ? "key" : "keys"}: ${keys.join(", ")}`;

export const kamalErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return `should be ${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`}`;
    case "unrecognized_keys":
      return unknownKeysMessage(issue.keys);
    case "too_small":
    case "too_big":
      return issue.origin === "number" ? "should be an integer" : undefined;
    default:
      return undefined;
  }
};

/** A problem found by a schema: a path relative to the parsed value, Kamal's message, and a fix when we know one. */
export type SchemaProblem = { path: (string | number)[]; message: string; fix?: string; keys?: string[] };

export function problemsOf(issues: readonly z.core.$ZodIssue[]): SchemaProblem[] {
  return issues.map((issue) => {
    const params = issue.code === "custom" ? (issue.params as { fix?: string; keys?: string[] } | undefined) : undefined;
    const keys = issue.code === "unrecognized_keys" ? issue.keys : params?.keys;
    return {
      path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      message: issue.message,
      ...(params?.fix ? { fix: params.fix } : {}),
      ...(keys ? { keys: [...keys] } : {}),
    };
  });
}
