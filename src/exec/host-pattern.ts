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

function globMatches(host: string, pattern: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "i").test(host);
}
