import type { Command } from "commander";

const TRUE = new Set(["true", "TRUE", "t", "T"]);
const FALSE = new Set(["false", "FALSE", "f", "F"]);

/** Boolean options of a command tree: long name → short name, and the `--no-` forms it defines itself. */
export type BooleanFlags = { readonly flags: ReadonlyMap<string, string | undefined>; readonly negations: ReadonlySet<string> };

export function booleanFlags(root: Command): BooleanFlags {
  const flags = new Map<string, string | undefined>();
  const negations = new Set<string>();
  const visit = (cmd: Command) => {
    for (const o of cmd.options) {
      if (o.negate && o.long) negations.add(o.long);
      else if (!o.required && !o.optional && o.long) flags.set(o.long, o.short);
    }
    cmd.commands.forEach(visit);
  };
  visit(root);
  return { flags, negations };
}

/**
 * Thor's boolean spellings that commander lacks (kamal-commands.md §1.2): `--flag=true|false`, `--flag true|false`
 * (the next word is taken only if it is exactly one of Thor's true/false words) and `--no-flag`. A false value
 * removes the flag given earlier on the line, so the last word still wins; for an option declared only as `--no-flag`
 * it becomes `--no-flag`. Nothing after `--` is touched.
 */
export function thorBooleans(argv: readonly string[], known: BooleanFlags): string[] {
  const out: string[] = [];
  const unset = (long: string) => {
    const short = known.flags.get(long);
    for (let i = out.length - 1; i >= 0; i--) if (out[i] === long || (short && out[i] === short)) out.splice(i, 1);
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    if (token === "--") return [...out, ...argv.slice(i)];
    const [name = "", value] = token.startsWith("--") && token.includes("=") ? splitOnce(token) : [token, undefined];
    const negated = name.startsWith("--no-") ? `--${name.slice(5)}` : undefined;
    if (negated && value === undefined && known.flags.has(negated) && !known.negations.has(name)) {
      unset(negated);
      continue;
    }
    // An option declared only as `--no-flag` (on by default, Thor's `default: true`) is turned off by `--flag false`.
    const negation = `--no-${name.slice(2)}`;
    const onlyNegated = name.startsWith("--") && !known.flags.has(name) && known.negations.has(negation);
    if ((!known.flags.has(name) && !onlyNegated) || (onlyNegated && value !== undefined && !isBooleanWord(value))) {
      out.push(token);
      continue;
    }
    const word = value ?? (isBooleanWord(argv[i + 1]) ? argv[++i] : undefined);
    const off = word !== undefined && FALSE.has(word);
    if (onlyNegated) {
      for (let j = out.length - 1; j >= 0; j--) if (out[j] === negation) out.splice(j, 1);
      if (off) out.push(negation);
    } else if (off) unset(name);
    else out.push(name);
  }
  return out;
}

const isBooleanWord = (word: string | undefined): boolean => word !== undefined && (TRUE.has(word) || FALSE.has(word));

function splitOnce(token: string): [string, string] {
  const eq = token.indexOf("=");
  return [token.slice(0, eq), token.slice(eq + 1)];
}
