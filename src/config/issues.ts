// Turns schema problems and rule findings into Issues: the file, Kamal's key path (`servers/web/hosts/0`), the
// message, a fix, and the line and column when the loader can tell. Issues come out in file order.
import type { Issue } from "../errors.ts";
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
    sink.add(path, problem.message, problem.fix ?? fixFor(problem), firstKey === undefined ? undefined : [...path, firstKey]);
  }
}

function fixFor(problem: SchemaProblem): string | undefined {
  if (problem.message === "should be an integer") return "write a whole number without quotes";
  return undefined;
}

/**
 * Ranks key paths by where they appear in the document. A key that is not written (a missing setting) ranks
 * right after everything written under its parent.
 */
function documentOrder(raw: unknown): (path: KeyPath) => number {
  const span = new Map<string, { start: number; end: number }>();
  let counter = 0;
  const walk = (value: unknown, path: string) => {
    const start = counter++;
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}/${i}`));
    else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) walk(item, `${path}/${key}`);
    span.set(path, { start, end: counter - 1 });
  };
  walk(raw, "");
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
