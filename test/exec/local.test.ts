import { describe, expect, test } from "vitest";
import { shellCapture } from "../../src/exec/local.ts";

const env = { PATH: process.env.PATH };

describe("shellCapture", () => {
  test("returns stdout, stderr and the exit code without throwing", async () => {
    const r = await shellCapture("echo out; echo err >&2; exit 3", { cwd: "/tmp", env });
    expect(r).toEqual({ stdout: "out\n", stderr: "err\n", code: 3 });
  });

  test("passes only the given environment, dropping undefined values", async () => {
    const r = await shellCapture('echo "$A|${B-unset}|${HOME-nohome}"', { cwd: "/tmp", env: { ...env, A: "1", B: undefined } });
    expect(r.stdout).toBe("1|unset|nohome\n");
  });

  test("runs in the given directory and feeds stdin", async () => {
    const r = await shellCapture("pwd; cat", { cwd: "/", env, stdin: "piped" });
    expect(r.stdout).toBe("/\npiped");
  });

  test("a signal death is reported as 128 + signal number", async () => {
    const r = await shellCapture("kill -TERM $$", { cwd: "/tmp", env });
    expect(r.code).toBe(143);
  });
});
