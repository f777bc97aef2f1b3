// Kamal's validator types (kamal lib/kamal/configuration/validator.rb), as zod schemas.
// Messages are Kamal's: "should be a string", "should be an array or a hash"... The per-type messages come from
// the error map in messages.ts; unions carry their combined message here.
import * as z from "zod";
import { RubyScalar } from "../../ruby-scalar.ts";

/** A Float, a big Integer or a Symbol as Psych reads it; an editor sees a number (a symbol is written as a string). */
export const rubyScalar = z.instanceof(RubyScalar);

/** Kamal's "string": strings, symbols, numbers and booleans all pass. */
export const str = z.union([z.string(), z.number(), z.boolean(), rubyScalar], { error: "should be a string" });

/** Kamal's "integer": integers only, `"30"` fails. */
export const int = z.int();

export const bool = z.boolean();

export const strList = z.array(str);

/** `labels`: a hash of strings. */
export const labels = z.record(z.string(), str);

/** `options`/`args`: any hash, passed through to docker. */
export const anyHash = z.record(z.string(), z.unknown());

const RESERVED_LABELS = ["destination", "role", "service"] as const;

/** Role and accessory labels may not replace the labels Kamal uses to find containers. */
export const appLabels = labels.superRefine((value, ctx) => {
  for (const key of Object.keys(value)) {
    if ((RESERVED_LABELS as readonly string[]).includes(key))
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "invalid label. destination, role, and service are reserved labels",
        params: { fix: `rename the label: sextant sets \`${key}\` itself to find its containers` },
      });
  }
});

const RESTART_POLICY = /^(?:no|always|unless-stopped|on-failure(?::\d+)?)$/;

/** Docker run options of a role or accessory; `restart` replaces Kamal's `--restart unless-stopped`. */
export const dockerOptions = anyHash.superRefine((value, ctx) => {
  if (!("restart" in value)) return;
  const restart = value.restart;
  if (typeof restart !== "string")
    ctx.addIssue({
      code: "custom",
      path: ["restart"],
      message: 'should be a string. Use "no" to disable restarts',
      params: { fix: 'quote it: `restart: "no"`' },
    });
  else if (!RESTART_POLICY.test(restart))
    ctx.addIssue({
      code: "custom",
      path: ["restart"],
      message: "should be no, always, unless-stopped, on-failure, or on-failure:N",
      params: { fix: "pick one of Docker's restart policies" },
    });
});
