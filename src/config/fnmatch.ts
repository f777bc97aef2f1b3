// Ruby's File.fnmatch(pattern, string, File::FNM_EXTGLOB), which Kamal uses for -h/-r filters
// (kamal lib/kamal/utils.rb filter_specific_items): `*` any run of characters (`/` included), `?` one character,
// `[...]`/`[!...]` a class, `{a,b}` alternatives, `\x` a literal x. As without FNM_DOTMATCH, a leading `.`
// is matched only by a literal dot.
//
// The pattern is compiled to a small automaton and run over the text, not turned into a RegExp: any pattern a
// user types (`[z-a]`, `{[}]`, a 100,000-character one) then matches or not in time linear in both lengths,
// instead of throwing a SyntaxError or backtracking.

/** Consumes one character of the text (atStart: it is the first one), or is an ε-step to `next`. */
type State = { readonly accepts?: (char: string, atStart: boolean) => boolean; readonly next: number[] };

const ACCEPT = -1;

export function fnmatch(pattern: string, text: string): boolean {
  const states: State[] = [];
  const start = compile(pattern, 0, pattern.length, ACCEPT, states);
  let current = closure([start], states);
  const chars = [...text];
  for (const [i, char] of chars.entries()) {
    const next = [...current].flatMap((s) => (states[s]?.accepts?.(char, i === 0) ? states[s].next : []));
    current = closure(next, states);
    if (current.size === 0) return false;
  }
  return current.has(ACCEPT);
}

/** The states reachable through ε-steps, consuming states and ACCEPT only. */
function closure(from: readonly number[], states: readonly State[]): Set<number> {
  const seen = new Set<number>();
  const result = new Set<number>();
  const stack = [...from];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    if (seen.has(s)) continue;
    seen.add(s);
    const state = states[s];
    if (s === ACCEPT || state?.accepts) result.add(s);
    if (state && !state.accepts) stack.push(...state.next);
  }
  return result;
}

/** Compiles pattern[from, to) so that it continues to `next`; returns its first state. Built back to front. */
function compile(pattern: string, from: number, to: number, next: number, states: State[]): number {
  const add = (state: State) => states.push(state) - 1;
  const pieces: { from: number; to: number }[] = [];
  for (let i = from; i < to; ) {
    const end = pieceEnd(pattern, i, to);
    pieces.push({ from: i, to: end });
    i = end;
  }
  let at = next;
  for (const { from: p, to: end } of pieces.reverse()) {
    const char = pattern[p] ?? "";
    if (char === "*") {
      const loop: State = { next: [] };
      const index = add(loop);
      const consume = add({ accepts: (_, atStart) => !atStart || _ !== ".", next: [index] });
      loop.next.push(consume, at);
      at = index;
    } else if (char === "?") at = add({ accepts: (c, atStart) => !(atStart && c === "."), next: [at] });
    else if (char === "[" && end - p > 1) at = add({ accepts: charClass(pattern.slice(p + 1, end - 1)), next: [at] });
    else if (char === "{" && end - p > 1) {
      const target = at;
      at = add({ next: alternatives(pattern, p + 1, end - 1).map(([a, b]) => compile(pattern, a, b, target, states)) });
    } else {
      const literal = char === "\\" && end - p === 2 ? (pattern[p + 1] ?? "") : char;
      at = add({ accepts: (c) => c === literal, next: [at] });
    }
  }
  return at;
}

/** Where the piece starting at `i` ends: a class, a brace group, an escape, or one character. */
function pieceEnd(pattern: string, i: number, to: number): number {
  const char = pattern[i];
  if (char === "\\" && i + 1 < to) return i + 2;
  if (char === "[") {
    // The first character of a class is never its end (`[]]`); `\]` inside it is a literal `]`.
    const first = i + 1;
    for (let j = first + (pattern[first] === "\\" ? 2 : 1); j < to; j += pattern[j] === "\\" ? 2 : 1) if (pattern[j] === "]") return j + 1;
    return i + 1;
  }
  if (char === "{") {
    const close = matchingBrace(pattern, i, to);
    return close === -1 ? i + 1 : close + 1;
  }
  return i + 1;
}

function matchingBrace(pattern: string, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "{") depth++;
    else if (pattern[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The comma-separated ranges of a brace group's body, commas inside nested groups and escapes kept. */
function alternatives(pattern: string, from: number, to: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = from;
  let depth = 0;
  for (let i = from; i < to; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "{") depth++;
    else if (pattern[i] === "}") depth--;
    else if (pattern[i] === "," && depth === 0) {
      ranges.push([start, i]);
      start = i + 1;
    }
  }
  ranges.push([start, to]);
  return ranges;
}

/** `[a-c_]`, `[!0-9]`: a reversed range (`z-a`) matches nothing, as in Ruby. */
function charClass(body: string): (char: string, atStart: boolean) => boolean {
  const negated = body.startsWith("!") || body.startsWith("^");
  const chars = [...(negated ? body.slice(1) : body)];
  const ranges: [string, string][] = [];
  for (let i = 0; i < chars.length; i++) {
    const low = chars[i] === "\\" && i + 1 < chars.length ? (chars[++i] ?? "") : (chars[i] ?? "");
    if (chars[i + 1] === "-" && i + 2 < chars.length) {
      const high = chars[i + 2] === "\\" && i + 3 < chars.length ? (chars[(i += 3)] ?? "") : (chars[(i += 2)] ?? "");
      ranges.push([low, high]);
    } else ranges.push([low, low]);
  }
  return (char, atStart) => {
    if (atStart && char === ".") return false;
    const inClass = ranges.some(([low, high]) => (low.codePointAt(0) ?? 0) <= (char.codePointAt(0) ?? 0) && (char.codePointAt(0) ?? 0) <= (high.codePointAt(0) ?? 0));
    return inClass !== negated;
  };
}
