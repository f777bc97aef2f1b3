// Kamal's built-in `test` adapter (kamal lib/kamal/secrets/adapters/test.rb): no vendor, each value is its name
// reversed (LPAREN/RPAREN become parentheses first). Kamal's own suite uses it, so secrets files written for it
// keep working, and it lets sextant's tests run the inline `$(kamal secrets ...)` path without a vendor CLI.
import { type Adapter, type Fetched, prefixed } from "../adapter.ts";

export const test: Adapter = {
  requiresAccount: true,
  async login() {
    return undefined;
  },
  async fetch(_sh, { names, from }) {
    const reversed = (name: string) => [...name.replaceAll("LPAREN", "(").replaceAll("RPAREN", ")")].reverse().join("");
    return new Map(prefixed(names, from).map((name) => [name, reversed(name)])) satisfies Fetched;
  },
};
