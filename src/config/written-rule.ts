import type { IssueSink } from "./issues.ts";
import type { RootInput } from "./schema/root.ts";

/** What a check of settings as written sees: the root keys that passed their schema, before normalising. */
export type WrittenInput = {
  /** the root keys whose values passed their schema */
  readonly input: Partial<RootInput>;
  readonly destination: string | undefined;
  readonly hookNames: readonly string[];
};

/** One check of settings as written (rules-written.ts, rules-shell-safe.ts); it reports to the sink. */
export type WrittenRule = (written: WrittenInput, sink: IssueSink) => void;
