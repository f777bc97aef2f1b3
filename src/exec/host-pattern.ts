/**
 * OpenSSH host patterns (ssh_config `Host`, known_hosts): `*` and `?` wildcards, `!` negation, case-insensitive.
 * A list matches when some positive pattern matches and no negated one does.
 */
export function matchesPatternList(host: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith("!");
    if (!globMatches(host, negated ? pattern.slice(1) : pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/**
 * OpenSSH's match_pattern, iteratively: on a mismatch, let the last `*` absorb one more character. No RegExp, so
 * a long or odd pattern in ~/.ssh/config can neither throw nor backtrack for seconds.
 */
function globMatches(host: string, pattern: string): boolean {
  const text = host.toLowerCase();
  const glob = pattern.toLowerCase();
  let t = 0;
  let g = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === "?" || (glob[g] !== "*" && glob[g] === text[t]))) {
      t++;
      g++;
    } else if (g < glob.length && glob[g] === "*") {
      star = g++;
      resume = t;
    } else if (star !== -1) {
      g = star + 1;
      t = ++resume;
    } else return false;
  }
  while (glob[g] === "*") g++;
  return g === glob.length;
}
