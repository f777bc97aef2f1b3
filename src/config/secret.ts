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
  /** The same secret with `suffix` after its value (a newline for stdin), still redacted. */
  followedBy(suffix: string): Secret {
    return new Secret(this.#value + suffix, this.name);
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

export const isSecret = (v: unknown): v is Secret => v instanceof Secret;
