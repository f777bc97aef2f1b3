import { Secret } from "../config/secret.ts";
import { escape } from "./escape.ts";

/**
 * A word of a shell command line. Strings are shell text used verbatim (builders escape values themselves with
 * `escape()`, exactly where Kamal does, so the joined line is byte-for-byte Kamal's). A Secret renders as its
 * escaped value inside an executor and as [REDACTED] everywhere else.
 */
export type Token = string | Secret;

/** A command line as Kamal builds it: a flat list of words joined by single spaces. */
export type Shell = { readonly tokens: readonly Token[] };

// cmd and join run for every command of every host (thousands in a 100-host dry run), so they are
// plain loops: flatMap's temporary arrays showed up in the startup profile.
export const cmd = (...tokens: readonly (Token | readonly Token[] | null | undefined | false)[]): Shell => {
  const out: Token[] = [];
  for (const t of tokens) {
    if (t === null || t === undefined || t === false) continue;
    if (Array.isArray(t)) for (const word of t as readonly Token[]) out.push(word);
    else out.push(t as Token);
  }
  return { tokens: out };
};

/** Kamal's `combine`: commands joined by an operator word (`&&` by default). */
function join(by: string, parts: readonly (Shell | null | undefined)[]): Shell {
  const out: Token[] = [];
  let first = true;
  for (const p of parts) {
    if (p === null || p === undefined) continue;
    if (!first) out.push(by);
    first = false;
    for (const word of p.tokens) out.push(word);
  }
  return { tokens: out };
}
export const and = (...parts: (Shell | null | undefined)[]): Shell => join("&&", parts);
export const or = (...parts: (Shell | null | undefined)[]): Shell => join("||", parts);
export const pipe = (...parts: (Shell | null | undefined)[]): Shell => join("|", parts);
/** Kamal's `chain`: commands joined by `;`. */
export const seq = (...parts: (Shell | null | undefined)[]): Shell => join(";", parts);
/** Kamal's `append`: `cmd >> file`. Other redirections are just words, e.g. cmd(..., "2>", "/dev/null"). */
export const append = (c: Shell, file: string): Shell => cmd(...c.tokens, ">>", file);

/**
 * One word `key="secret"`, redacted as `key=[REDACTED]`: Kamal's `sensitive("key=value", redaction: ...)`, used
 * where a secret is an argument's value (`pack build --env NAME="value"`). `reveal()` gives `key=value` unescaped.
 */
export class KeyedSecret extends Secret {
  readonly key: string;
  readonly secret: Secret;
  constructor(key: string, secret: Secret) {
    super("", secret.name);
    this.key = key;
    this.secret = secret;
  }
  override reveal(): string {
    return `${this.key}=${this.secret.reveal()}`;
  }
}

const revealed = (t: Secret): string =>
  t instanceof KeyedSecret ? `${t.key}=${escape(t.secret.reveal())}` : escape(t.reveal());
const redacted = (t: Secret): string => (t instanceof KeyedSecret ? `${t.key}=[REDACTED]` : "[REDACTED]");

/** The command as Kamal's builder returns it, joined by spaces. Secrets are [REDACTED] unless revealed. */
export function render(c: Shell, reveal = false): string {
  return c.tokens.map((t) => (t instanceof Secret ? (reveal ? revealed(t) : redacted(t)) : t)).join(" ");
}

/**
 * The command as it goes over the wire. SSHKit maps a single-word leading command through its command map:
 * `docker` stays as is and every other bare word gets `/usr/bin/env ` in front (kamal-on-host.md §1).
 */
export function wire(c: Shell, reveal = false): string {
  const line = render(c, reveal);
  const first = c.tokens[0];
  if (typeof first !== "string" || first === "docker" || /\s/.test(first)) return line;
  return `/usr/bin/env ${line}`;
}

export const hasSecrets = (c: Shell): boolean => c.tokens.some((t) => t instanceof Secret);
