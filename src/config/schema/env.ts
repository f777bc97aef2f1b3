// `env:` at the root, in a role, in a tag or in an accessory (kamal lib/kamal/configuration/docs/env.yml,
// validator/env.rb). Simple form: every key is a clear variable. Structured form, as soon as `clear`, `secret` or
// `tags` appears: only those keys. Tags only at the root.
import * as z from "zod";
import { isHash, shaped } from "./either.ts";
import { str } from "./types.ts";

const clear = z
  .record(z.string(), str)
  .describe("Variables passed with `--env NAME=value`; `${VAR}` is expanded by the host's shell");
const secret = z
  .array(str)
  .describe("Secret names from .kamal/secrets, or `NAME:SECRET` to rename; written to an env file on the host");

const simpleEnv = z.record(z.string(), str).describe("Clear variables: NAME -> value");

const STRUCTURED_KEYS = ["clear", "secret", "tags"];

/** The env as written; normalise.ts reads it into an EnvSpec. */
export type EnvInput = Record<string, unknown>;

function envOf(root: boolean): z.ZodType<EnvInput> {
  const tags = root ? z.record(z.string(), envOf(false)).describe("Tag name -> env for the hosts with that tag") : undefined;
  const structured = z.strictObject({
    clear: clear.optional(),
    secret: secret.optional(),
    ...(tags ? { tags: tags.optional() } : {}),
  });
  const nestedTags = z.strictObject({ clear: z.unknown().optional(), secret: z.unknown().optional(), tags: z.unknown().optional() }).superRefine((_, ctx) =>
    ctx.addIssue({
      code: "custom",
      message: "tags are only allowed in the root env",
      params: { fix: "move `tags:` to the root `env:`" },
    }),
  );
  return shaped<EnvInput>((value) => {
    if (!isHash(value)) return "should be a hash";
    if (!Object.keys(value).some((key) => STRUCTURED_KEYS.includes(key))) return simpleEnv;
    return !root && "tags" in value ? nestedTags : structured;
  }, z.union([structured, simpleEnv]));
}

export const rootEnvSchema = envOf(true).describe("Environment of every role's containers");
export const envSchema = envOf(false);
