// Turns schema problems and rule findings into Issues: the file, Kamal's key path (`servers/web/hosts/0`), the
// message, a fix, and the line and column when the loader can tell. Issues come out in file order.
import type { Issue } from "../errors.ts";
import { docsCommand } from "./docs.ts";
import type { SchemaProblem } from "./schema/messages.ts";

export type KeyPath = readonly (string | number)[];
export type Locate = (path: KeyPath) => { file: string; line: number; column: number } | undefined;

/** Where problems are reported: the files and how to find a key path in them. */
export type IssueSink = {
  /** Records an issue at `path` (the Kamal context); `pointAt` is the key the line number should show, if deeper. */
  add(path: KeyPath, message: string, fix?: string, pointAt?: KeyPath): void;
  readonly count: number;
  /** The issues in the order their keys appear in `raw` (the merged document). */
  inFileOrder(raw: unknown): Issue[];
};

export function issueSink(mainFile: string, locate: Locate | undefined): IssueSink {
  const found: { issue: Issue; at: KeyPath }[] = [];
  return {
    add(path, message, fix, pointAt) {
      const at = pointAt ?? path;
      const place = locateNearest(locate, at);
      const issue: Issue = {
        file: place?.file ?? mainFile,
        path: path.join("/"),
        message,
        ...(fix ? { fix } : {}),
        ...(place ? { line: place.line, column: place.column } : {}),
      };
      found.push({ issue, at });
    },
    get count() {
      return found.length;
    },
    inFileOrder(raw) {
      const rank = documentOrder(raw);
      return found
        .map((entry, index) => ({ issue: entry.issue, index, rank: rank(entry.at) }))
        .sort((a, b) => a.rank - b.rank || a.index - b.index)
        .map(({ issue }) => issue);
    },
  };
}

/** The deepest written part of `path` (a missing key is reported where its parent is). */
function locateNearest(locate: Locate | undefined, path: KeyPath) {
  if (!locate) return undefined;
  for (let end = path.length; end >= 0; end--) {
    const place = locate(path.slice(0, end));
    if (place) return place;
  }
  return undefined;
}

/** Reports schema problems found under `base`. Unknown keys are reported at their parent, as Kamal does. */
export function addProblems(sink: IssueSink, base: KeyPath, problems: readonly SchemaProblem[]): void {
  for (const problem of problems) {
    const path = [...base, ...problem.path];
    const firstKey = problem.keys?.[0];
    sink.add(path, problem.message, problem.fix ?? fixFor(problem, path), firstKey === undefined ? undefined : [...path, firstKey]);
  }
}

/** How to write each kind of value, for type problems (their messages are Kamal's, without a hint). */
const TYPE_FIXES: Readonly<Record<string, string>> = {
  "should be a string": "write a single value, e.g. `key: value`",
  "should be an integer": "write a whole number without quotes",
  "should be a boolean": "write true or false, without quotes",
  "should be an array": "write a list: `[a, b]`, or one `- item` per line",
  "should be a hash": "write `key: value` settings, indented under this key",
  "should be an array or a string": "write one value, or a list of values",
  "should be a string or an array": "write one value, or a list of values",
  "should be an array or a hash": "write a list of hosts, or role names with their hosts or settings",
  "should be a string or a hash": "write a value, or `key: value` settings",
  "should be a boolean or a hash": "write true, false, or `key: value` settings",
  "should be a boolean or a string or an array": "write true, false, a path, or a list of paths",
  "should be a string or a symbol": "write quiet or verbose, or hook names with quiet or verbose",
};

function fixFor(problem: SchemaProblem, path: KeyPath): string | undefined {
  const fix = TYPE_FIXES[problem.message];
  if (!fix) return undefined;
  return `${fix}; ${docsCommand(path)} describes it`;
}

/**
 * Ranks key paths by where they appear in the document. A key that is not written (a missing setting) ranks
 * right after everything written under its parent.
 */
function documentOrder(raw: unknown): (path: KeyPath) => number {
  const span = new Map<string, { start: number; end: number }>();
  let counter = 0;
  // Depth first, with a list of its own rather than recursion: values can nest as deep as the YAML reader allows.
  const pending: ({ value: unknown; path: string } | { leaving: string; start: number })[] = [{ value: raw, path: "" }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    if ("leaving" in visit) {
      span.set(visit.leaving, { start: visit.start, end: counter - 1 });
      continue;
    }
    const { value, path } = visit;
    pending.push({ leaving: path, start: counter++ });
    const entries = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : value && typeof value === "object" ? Object.entries(value) : [];
    for (const [key, item] of entries.reverse()) pending.push({ value: item, path: `${path}/${key}` });
  }
  const key = (path: KeyPath) => path.map((part) => `/${part}`).join("");
  return (path) => {
    const exact = span.get(key(path));
    if (exact) return exact.start;
    for (let end = path.length - 1; end >= 0; end--) {
      const parent = span.get(key(path.slice(0, end)));
      if (parent) return parent.end + 0.5;
    }
    return Number.MAX_SAFE_INTEGER;
  };
}
