/**
 * Several commands in one SSH exec session: the session runs `sh -s` and reads a generated script on stdin. Each
 * command runs in its own subshell with stdin from /dev/null (so it cannot swallow the rest of the script, and a
 * `cd` or `export` does not leak into the next one, as with separate exec sessions). After each command the script
 * prints a marker line with the command's index and exit code on both stdout and stderr, so the output can be cut
 * back into per-command results; the first failure that is not ignored ends the script with that exit code.
 */
export type ScriptLine = { readonly line: string; readonly ignoreFailure: boolean };
export type StepOutput = { readonly stdout: string; readonly stderr: string; readonly code: number };

export const SCRIPT_SHELL = "/bin/sh -s";

export function scriptText(steps: readonly ScriptLine[], nonce: string): string {
  return steps
    .map((step, i) => {
      const marker = `printf '\\n%s %d %d\\n' ${nonce} ${i} $c`;
      const stop = step.ignoreFailure ? "" : `\n[ $c -eq 0 ] || exit $c`;
      return `(\n${step.line}\n) </dev/null\nc=$?\n${marker}\n${marker} >&2${stop}\n`;
    })
    .join("");
}

/**
 * Cuts a finished script's output into the results of the commands that completed, plus the partial output of the
 * one that was running when the session ended (if any).
 */
export function splitScriptOutput(
  stdout: string,
  stderr: string,
  nonce: string,
): { completed: StepOutput[]; rest: { stdout: string; stderr: string } } {
  const out = cut(stdout, nonce);
  const err = cut(stderr, nonce);
  const completed = out.parts.map((part, i) => ({ stdout: part.text, stderr: err.parts[i]?.text ?? "", code: part.code }));
  return { completed, rest: { stdout: out.rest, stderr: err.rest } };
}

function cut(text: string, nonce: string): { parts: { text: string; code: number }[]; rest: string } {
  const parts: { text: string; code: number }[] = [];
  const marker = new RegExp(`\\n${nonce} (\\d+) (\\d+)\\n`, "g");
  let start = 0;
  for (const m of text.matchAll(marker)) {
    parts.push({ text: text.slice(start, m.index), code: Number(m[2]) });
    start = m.index + m[0].length;
  }
  return { parts, rest: text.slice(start) };
}

/**
 * Filters streamed lines: drops marker lines and the empty line the marker's leading newline adds, so streamed
 * output reads as if each command had run on its own.
 */
export function markerFilter(nonce: string, onLine: (line: string) => void): { line(text: string): void; end(): void } {
  const marker = new RegExp(`^${nonce} \\d+ \\d+$`);
  let pendingBlank = false;
  return {
    line(text) {
      if (marker.test(text)) {
        pendingBlank = false;
        return;
      }
      if (pendingBlank) onLine("");
      pendingBlank = text === "";
      if (!pendingBlank) onLine(text);
    },
    end() {
      if (pendingBlank) onLine("");
      pendingBlank = false;
    },
  };
}
