import { InvalidArgumentError } from "commander";

/** Option parser for counts and seconds: a whole number, 0 or more. */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
}

// The log options below go into host commands as Kamal writes them: `--since` and `--container-id` bare, the grep
// pattern in single quotes (double quotes under `--follow`), its options bare. Values of the form each one has
// anyway leave a shell nothing to act on (issue 16).
const refuseUnless = (pattern: RegExp, expected: string) => (value: string): string => {
  if (pattern.test(value)) return value;
  throw new InvalidArgumentError(expected);
};

/** `--since`: a timestamp or a duration. */
export const logTime = refuseUnless(/^[A-Za-z0-9_.:+-]+$/, "expected a timestamp or duration, e.g. 2013-01-02T13:23:37Z or 42m");
/** `--container-id`: a container id or name. */
export const containerId = refuseUnless(/^[A-Za-z0-9_.-]+$/, "expected a container id or name");
/** `--grep`: a pattern without what would end or expand its quoting (quotes, `$(`, `${`, backticks, a final `\`). */
export const grepText = refuseUnless(/^(?:[^'"`\n\r\\$]|\$(?![({])|\\(?=.))*$/, "expected a pattern without quotes, backticks, `$(`, `${`, line breaks or a final backslash");
/** `--grep-options`: grep's own flags, e.g. `-i -v` or `--max-count=3`. */
export const grepOptions = refuseUnless(/^[A-Za-z0-9_ =.,-]*$/, "expected grep options such as `-i -v` or `--max-count=3`");
