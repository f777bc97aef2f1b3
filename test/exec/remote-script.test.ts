import { describe, expect, test } from "vitest";
import { shellCapture } from "../../src/exec/local.ts";
import { markerFilter, scriptText, splitScriptOutput } from "../../src/exec/remote-script.ts";

const NONCE = "SX0123abcd";
const env = { PATH: process.env.PATH };

async function runScript(lines: { line: string; ignoreFailure: boolean }[]) {
  const result = await shellCapture("/bin/sh -s", { cwd: "/tmp", env, stdin: scriptText(lines, NONCE) });
  return { exit: result.code, ...splitScriptOutput(result.stdout, result.stderr, NONCE) };
}

describe("remote script", () => {
  test("cuts output back into per-command results, newlines preserved", async () => {
    const r = await runScript([
      { line: "printf 'a\\nb\\n'; echo e >&2", ignoreFailure: false },
      { line: "printf no-newline", ignoreFailure: false },
      { line: "true", ignoreFailure: false },
    ]);
    expect(r.exit).toBe(0);
    expect(r.completed).toEqual([
      { stdout: "a\nb\n", stderr: "e\n", code: 0 },
      { stdout: "no-newline", stderr: "", code: 0 },
      { stdout: "", stderr: "", code: 0 },
    ]);
    expect(r.rest).toEqual({ stdout: "", stderr: "" });
  });

  test("stops at the first failure not ignored, with its exit code; ignored failures continue", async () => {
    const r = await runScript([
      { line: "exit 3", ignoreFailure: true },
      { line: "echo bad >&2; exit 5", ignoreFailure: false },
      { line: "echo never", ignoreFailure: false },
    ]);
    expect(r.exit).toBe(5);
    expect(r.completed.map((c) => c.code)).toEqual([3, 5]);
    expect(r.completed[1]?.stderr).toBe("bad\n");
  });

  test("commands cannot read the script from stdin, and cd/export do not leak", async () => {
    const r = await runScript([
      { line: "cat; cd /; export X=1", ignoreFailure: false },
      { line: 'pwd; echo "${X-unset}"', ignoreFailure: false },
    ]);
    expect(r.completed.map((c) => c.stdout)).toEqual(["", "/tmp\nunset\n"]);
  });

  test("the stream filter drops markers and the blank line before them", () => {
    const seen: string[] = [];
    const f = markerFilter(NONCE, (l) => seen.push(l));
    for (const l of ["a", "", `${NONCE} 0 0`, "", "", `${NONCE} 1 0`, "b", "", "c", "", `${NONCE} 2 0`]) f.line(l);
    f.end();
    expect(seen).toEqual(["a", "", "b", "", "c"]);
  });
});
