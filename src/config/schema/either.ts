// Values that take one of several shapes (`servers` as list or hash, env simple or structured...).
// zod's unions report "no branch matched" when a nested item is wrong; Kamal picks the branch by the value's
// Ruby class and then reports the nested problem (`servers/0/1.1.1.1/0: should be a string`). `shaped` does the
// same: `pick` chooses the schema for the value (or returns the type message), and that schema's problems are
// reported at their own paths.
import * as z from "zod";
import { kamalErrorMap, problemsOf } from "./messages.ts";
import { RubyScalar } from "../../ruby-scalar.ts";

// Keyed by the definition, which `.describe()`/`.meta()` clones share.
const documented = new WeakMap<object, z.ZodType>();

/** The union a `shaped` schema stands for, for the JSON Schema and the docs. */
export const documentationOf = (schema: z.core.$ZodType): z.ZodType | undefined => documented.get(schema._zod.def);

export function shaped<T>(pick: (value: unknown) => z.ZodType | string, documentation: z.ZodType): z.ZodType<T> {
  const schema = z.custom<T>().superRefine((value, ctx) => {
    const chosen = pick(value);
    if (typeof chosen === "string") {
      ctx.addIssue({ code: "custom", message: chosen });
      return;
    }
    const result = chosen.safeParse(value, { error: kamalErrorMap });
    if (result.success) return;
    for (const problem of problemsOf(result.error.issues))
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message, params: problem });
  });
  documented.set(schema._zod.def, documentation);
  return schema;
}

type Branch<T> = readonly [guard: (value: unknown) => boolean, schema: z.ZodType<T>];

/** Two shapes told apart by the value's type; neither → `message` (Kamal's "should be an array or a hash"). */
export function either<A, B>(message: string, a: Branch<A>, b: Branch<B>): z.ZodType<A | B> {
  return shaped<A | B>((value) => (a[0](value) ? a[1] : b[0](value) ? b[1] : message), z.union([a[1], b[1]]));
}

export const isArray = (value: unknown): boolean => Array.isArray(value);
export const isHash = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RubyScalar);
/** Kamal's stringish: String, Symbol, Numeric, true, false. */
export const isStringish = (value: unknown): boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof RubyScalar;
export const isBoolean = (value: unknown): boolean => typeof value === "boolean";
