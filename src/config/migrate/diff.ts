// A unified diff (`diff -u`, with git's a/ and b/ prefixes so `git apply` takes it) of two texts, line by line.
// Config files are a few hundred lines at most, so a plain longest-common-subsequence table is fast enough.

type Line = { readonly kind: " " | "-" | "+"; readonly text: string };

/** The diff of `before` → `after` for `path`; `before` undefined means a new file. Empty when they are equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string, context = 3): string {
  if (before === after) return "";
  const lines = diffLines(split(before ?? ""), split(after));
  const header = `--- ${before === undefined ? "/dev/null" : `a/${path}`}\n+++ b/${path}\n`;
  return header + hunks(lines, context).join("");
}

/** The lines of a text; a last line without a newline carries git's marker. */
function split(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  else lines[lines.length - 1] += "\n\\ No newline at end of file";
  return lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Line[] {
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ kind: " ", text: a[i++]! });
      j++;
    } else if (j < b.length && (i === a.length || common[i]![j + 1]! >= common[i + 1]![j]!)) {
      lines.push({ kind: "+", text: b[j++]! });
    } else {
      lines.push({ kind: "-", text: a[i++]! });
    }
  }
  return reorderRemovalsFirst(lines);
}

/** Within a run of changes, removed lines come before added ones, as diff and git print them. */
function reorderRemovalsFirst(lines: Line[]): Line[] {
  const result: Line[] = [];
  let run: Line[] = [];
  const flush = () => {
    result.push(...run.filter((line) => line.kind === "-"), ...run.filter((line) => line.kind === "+"));
    run = [];
  };
  for (const line of lines) {
    if (line.kind === " ") {
      flush();
      result.push(line);
    } else run.push(line);
  }
  flush();
  return result;
}

function hunks(lines: readonly Line[], context: number): string[] {
  const changed = lines.flatMap((line, index) => (line.kind === " " ? [] : [index]));
  const groups: [number, number][] = [];
  for (const index of changed) {
    const last = groups.at(-1);
    if (last && index - last[1] <= 2 * context) last[1] = index;
    else groups.push([index, index]);
  }
  return groups.map(([first, last]) => {
    const start = Math.max(0, first - context);
    const end = Math.min(lines.length, last + context + 1);
    const before = lines.slice(0, start);
    const oldStart = before.filter((line) => line.kind !== "+").length;
    const newStart = before.filter((line) => line.kind !== "-").length;
    const body = lines.slice(start, end);
    const oldCount = body.filter((line) => line.kind !== "+").length;
    const newCount = body.filter((line) => line.kind !== "-").length;
    return `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n${body.map((line) => `${line.kind}${line.text}\n`).join("")}`;
  });
}

/** diff's hunk ranges: `start,count`, just `start` for one line, and the line before for none. */
const range = (start: number, count: number) => (count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`);
