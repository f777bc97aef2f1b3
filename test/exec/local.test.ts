import { describe, expect, test } from "vitest";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cmd } from "../../src/commands/shell.ts";
import { Secret } from "../../src/config/secret.ts";
import { RemoteCommandError } from "../../src/errors.ts";
import { LOCAL } from "../../src/exec/executor.ts";
import { LocalExecutor, shellCapture } from "../../src/exec/local.ts";
import { MemoryReporter } from "./support.ts";

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

describe("LocalExecutor", () => {
  const make = (echo = false) => {
    const report = new MemoryReporter();
    return { report, ex: new LocalExecutor({ reporter: report, cwd: "/tmp", env, echo }) };
  };

  test("runs the rendered command with secrets revealed and reports it redacted", async () => {
    const { report, ex } = make();
    expect(await ex.capture(LOCAL, cmd("echo", new Secret("s3cret")))).toBe("s3cret");
    expect(report.of("command")).toEqual(["echo [REDACTED]"]);
  });

  test("run throws RemoteCommandError naming local; attempt returns the code", async () => {
    const { ex } = make();
    await expect(ex.run(LOCAL, cmd("sh", "-c", "'echo nope >&2; exit 4'"))).rejects.toThrow(
      new RemoteCommandError(LOCAL, "sh -c 'echo nope >&2; exit 4'", { code: 4, stderr: "nope\n" }),
    );
    expect((await ex.attempt(LOCAL, cmd("exit", "5"))).code).toBe(5);
  });

  test("feeds a Secret on stdin and merges extra environment", async () => {
    const { ex } = make();
    const out = await ex.capture(LOCAL, cmd("cat;", "echo", "$EXTRA"), { stdin: new Secret("pw\n"), env: { EXTRA: new Secret("x") } });
    expect(out).toBe("pw\nx");
  });

  test("streams every output line to the reporter as it arrives", async () => {
    const { report, ex } = make();
    await ex.run(LOCAL, cmd("printf", "'a\\nb\\n'", ";", "printf", "c", ">&2"), { stream: true });
    expect(report.of("output", LOCAL).sort()).toEqual(["a", "b", "c"]);
  });

  test("a timeout stops the command", async () => {
    const { ex } = make();
    const started = Date.now();
    const result = await ex.attempt(LOCAL, cmd("sleep", "5"), { timeoutMs: 100 });
    expect(result.code).toBe(143);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("script stops at the first failure that is not ignored", async () => {
    const { ex } = make();
    const steps = [{ cmd: cmd("echo", "1") }, { cmd: cmd("false"), ignoreFailure: true }, { cmd: cmd("exit", "7") }, { cmd: cmd("echo", "4") }];
    await expect(ex.script(LOCAL, steps)).rejects.toThrow("[local] exit 7 exited 7");
    expect((await ex.script(LOCAL, steps.slice(0, 2))).map((r) => r.code)).toEqual([0, 1]);
  });

  test("upload writes the file with the requested mode, even over a laxer existing file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sextant-local-"));
    const { report } = make();
    const ex = new LocalExecutor({ reporter: report, cwd: dir, env });
    await writeFile(join(dir, "f.env"), "old", { mode: 0o644 });
    await ex.upload(LOCAL, { path: "f.env", body: new Secret("A=1\n"), mode: 0o600 });
    expect(await readFile(join(dir, "f.env"), "utf8")).toBe("A=1\n");
    expect((await stat(join(dir, "f.env"))).mode & 0o777).toBe(0o600);
  });

  test("a script's steps take their own stdin, and its upload steps write files in order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sextant-local-"));
    const { report } = make();
    const ex = new LocalExecutor({ reporter: report, cwd: dir, env });
    const results = await ex.script(LOCAL, [
      { upload: { path: "f.env", body: "A=1\n", mode: 0o600 } },
      { cmd: cmd("cat", "f.env") },
      { cmd: cmd("cat"), stdin: new Secret("pw\n") },
    ]);
    expect(results.map((r) => r.stdout)).toEqual(["", "A=1\n", "pw\n"]);
  });
});
