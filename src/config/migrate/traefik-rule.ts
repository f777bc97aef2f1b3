// Reads a Traefik v2 router rule (`Host(`a.com`) || Host(`b.com`)`, `Host(`a.com`) && PathPrefix(`/api`)`) as the
// hosts and path prefixes kamal-proxy can route. Rules that need more (Headers, Path, HostRegexp, `!`, or an `||`
// mixing hosts and paths) have no kamal-proxy equivalent and come back as undefined.

export type Route = { readonly hosts: readonly string[]; readonly pathPrefixes: readonly string[] };

type Token = { kind: "matcher"; name: string; args: string[] } | { kind: "op"; op: "||" | "&&" | "(" | ")" | "!" };

export function parseTraefikRule(rule: string): Route | undefined {
  const tokens = tokenize(rule);
  if (!tokens) return undefined;
  let pos = 0;
  const or = (): Route | undefined => {
    let route = and();
    while (route && peekOp("||")) {
      pos++;
      route = either(route, and());
    }
    return route;
  };
  const and = (): Route | undefined => {
    let route = term();
    while (route && peekOp("&&")) {
      pos++;
      route = both(route, term());
    }
    return route;
  };
  const term = (): Route | undefined => {
    const token = tokens[pos++];
    if (token?.kind === "op" && token.op === "(") {
      const inner = or();
      const close = tokens[pos++];
      return close?.kind === "op" && close.op === ")" ? inner : undefined;
    }
    if (token?.kind !== "matcher") return undefined;
    if (token.name === "Host" || token.name === "HostHeader") return { hosts: token.args, pathPrefixes: [] };
    // `PathPrefix(`/`)` matches every request, as kamal-proxy does without a prefix.
    if (token.name === "PathPrefix") return { hosts: [], pathPrefixes: token.args.filter((prefix) => prefix !== "/") };
    return undefined;
  };
  const peekOp = (op: string) => {
    const token = tokens[pos];
    return token?.kind === "op" && token.op === op;
  };
  const route = or();
  return pos === tokens.length ? route : undefined;
}

/** `a || b`: more of the same kind of thing; hosts or'ed with paths would widen the route. */
function either(a: Route, b: Route | undefined): Route | undefined {
  if (!b) return undefined;
  if (a.pathPrefixes.length === 0 && b.pathPrefixes.length === 0) return { hosts: [...a.hosts, ...b.hosts], pathPrefixes: [] };
  if (a.hosts.length === 0 && b.hosts.length === 0) return { hosts: [], pathPrefixes: [...a.pathPrefixes, ...b.pathPrefixes] };
  return undefined;
}

/** `a && b`: hosts on one side, paths on the other. */
function both(a: Route, b: Route | undefined): Route | undefined {
  if (!b) return undefined;
  if ((a.hosts.length > 0 && b.hosts.length > 0) || (a.pathPrefixes.length > 0 && b.pathPrefixes.length > 0)) return undefined;
  return { hosts: [...a.hosts, ...b.hosts], pathPrefixes: [...a.pathPrefixes, ...b.pathPrefixes] };
}

const MATCHER = /^\s*([A-Za-z]+)\(\s*((?:(?:`[^`]*`|"[^"]*"|'[^']*')\s*,?\s*)*)\)/;
const OPERATOR = /^\s*(\|\||&&|\(|\)|!)/;

function tokenize(rule: string): Token[] | undefined {
  const tokens: Token[] = [];
  let rest = rule;
  while (rest.trim() !== "") {
    const matcher = MATCHER.exec(rest);
    if (matcher) {
      const args = [...(matcher[2] ?? "").matchAll(/`([^`]*)`|"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
      tokens.push({ kind: "matcher", name: matcher[1] ?? "", args });
      rest = rest.slice(matcher[0].length);
      continue;
    }
    const operator = OPERATOR.exec(rest);
    if (!operator) return undefined;
    tokens.push({ kind: "op", op: operator[1] as "||" });
    rest = rest.slice(operator[0].length);
  }
  return tokens;
}
