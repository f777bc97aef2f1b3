// Ruby's File.fnmatch(pattern, string, File::FNM_EXTGLOB), which Kamal uses for -h/-r filters
// (kamal lib/kamal/utils.rb filter_specific_items): `*` any run of characters (`/` included), `?` one character,
// `[...]`/`[!...]` a class, `{a,b}` alternatives, `\x` a literal x. As without FNM_DOTMATCH, a leading `.`
// is matched only by a literal dot.
export function fnmatch(pattern: string, text: string): boolean {
  return globToRegExp(pattern).test(text);
}

function globToRegExp(pattern: string): RegExp {
  let source = "";
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (char === "\\" && i + 1 < pattern.length) source += escapeChar(pattern[++i] ?? "");
    else if (char === "*") source += i === 0 ? "(?!\\.)[\\s\\S]*" : "[\\s\\S]*";
    else if (char === "?") source += i === 0 ? "(?!\\.)[\\s\\S]" : "[\\s\\S]";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) source += "\\[";
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        source += `[${body}]`;
        i = end;
      }
    } else if (char === "{" && pattern.indexOf("}", i) !== -1) {
      braces++;
      source += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (char === "," && braces > 0) source += "|";
    else source += escapeChar(char);
  }
  return new RegExp(`^${source}$`);
}

const escapeChar = (char: string) => char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
