import { describe, expect, it } from "vitest";
import { captureFile } from "../../src/exec/capture-file.ts";

const opts = { cwd: "/tmp", env: { PATH: process.env.PATH, GREETING: "hello" } };

describe("captureFile", () => {
  it("captures stdout and stderr of a program run without a shell, in the given environment", async () => {
    expect(await captureFile("sh", ["-c", 'echo "$GREETING $0"; echo oops >&2', "$HOME"], opts)).toEqual({
      stdout: "hello $HOME\n",
      stderr: "oops\n",
      code: 0,
    });
  });

  it("returns a non-zero exit status instead of throwing", async () => {
    expect(await captureFile("sh", ["-c", "exit 3"], opts)).toEqual({ stdout: "", stderr: "", code: 3 });
  });

  it("reports a program that is not installed as exit 127, like /bin/sh", async () => {
    expect((await captureFile("sextant-no-such-program", [], opts)).code).toBe(127);
  });
});
