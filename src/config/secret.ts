import { inspect } from "node:util";

const REDACTED = "[REDACTED]";

/**
 * A secret value. It prints as [REDACTED] everywhere (toString, JSON, util.inspect, template strings);
 * only `reveal()` gives the value back, and only executors call it.
 */
export class Secret {
  readonly #value: string;
  /** The secret's name in .kamal/secrets, for messages. */
  readonly name: string;
  constructor(value: string, name = "") {
    this.#value = value;
    this.name = name;
  }
  reveal(): string {
    return this.#value;
  }
  /** The same secret with `suffix` after its value (a newline for stdin), still redacted and read only when revealed. */
  followedBy(suffix: string): Secret {
    return new FollowedSecret(this, suffix);
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Reveals its base lazily: a secret from .kamal/secrets is read on first use (secret-ref.ts), never by a dry run. */
class FollowedSecret extends Secret {
  readonly #base: Secret;
  readonly #suffix: string;
  constructor(base: Secret, suffix: string) {
    super("", base.name);
    this.#base = base;
    this.#suffix = suffix;
  }
  override reveal(): string {
    return this.#base.reveal() + this.#suffix;
  }
}

export const isSecret = (v: unknown): v is Secret => v instanceof Secret;
