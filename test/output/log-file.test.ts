import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { SextantError } from "../../src/errors.ts";
import { LogFile, logFileName } from "../../src/output/log-file.ts";
import type { LoggedRun } from "../../src/output/log-sink.ts";

// Local time, as Kamal's file names use: these components are the name's whatever the machine's time zone.
const startedAt = new Date(2026, 11, 6, 3, 45, 6);
const run = (over: Partial<LoggedRun> = {}): LoggedRun => ({ command: "deploy", subcommand: undefined, destination: undefined, startedAt, dryRun: false, ...over });

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sextant-log-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("logFileName", () => {
  test("is the start time, the destination, the command and its subcommand", () => {
    expect(logFileName(run())).toBe("2026-12-06T03-45-06_deploy.log");
    expect(logFileName(run({ command: "app", subcommand: "boot" }))).toBe("2026-12-06T03-45-06_app_boot.log");
    expect(logFileName(run({ command: "app", subcommand: "boot", destination: "staging" }))).toBe("2026-12-06T03-45-06_staging_app_boot.log");
  });

  test("marks a dry run", () => {
    expect(logFileName(run({ dryRun: true }))).toBe("2026-12-06T03-45-06_deploy_dry-run.log");
  });
});

describe("LogFile", () => {
  test("makes the directory, writes each line as it comes, and ends with the run time", async () => {
    const dir = join(tempDir(), "log", "kamal");
    const file = new LogFile(dir, run(), () => {});
    file.write({ text: "Acquiring the deploy lock...", severity: "info" });
    expect(readFileSync(file.path, "utf8")).toBe("Acquiring the deploy lock...\n");
    file.write({ text: "  INFO [web-1] Running docker ps", severity: "info", host: "web-1" });
    expect(await file.finish({ seconds: 12.345 })).toBe(`Logs written to ${join(dir, "2026-12-06T03-45-06_deploy.log")}`);
    expect(readFileSync(file.path, "utf8")).toBe("Acquiring the deploy lock...\n  INFO [web-1] Running docker ps\n# Completed in 12.3s\n");
  });

  test("ends a failed run with the error's class and message", async () => {
    const file = new LogFile(tempDir(), run({ command: "app", subcommand: "boot" }), () => {});
    await file.finish({ seconds: 3, error: { type: "HostsFailedError", message: "2 hosts failed" } });
    expect(readFileSync(file.path, "utf8")).toBe("# FAILED: HostsFailedError: 2 hosts failed (3.0s)\n");
  });

  test("says first that a dry run sent nothing", async () => {
    const file = new LogFile(tempDir(), run({ dryRun: true }), () => {});
    await file.finish({ seconds: 0.04 });
    expect(readFileSync(file.path, "utf8")).toBe("# Dry run: nothing was sent to any host\n# Completed in 0.0s\n");
  });

  test("adds to a file of the same name instead of replacing it", async () => {
    const dir = tempDir();
    await new LogFile(dir, run(), () => {}).finish({ seconds: 1 });
    await new LogFile(dir, run(), () => {}).finish({ seconds: 2 });
    expect(readdirSync(dir)).toEqual(["2026-12-06T03-45-06_deploy.log"]);
    expect(readFileSync(join(dir, "2026-12-06T03-45-06_deploy.log"), "utf8")).toBe("# Completed in 1.0s\n# Completed in 2.0s\n");
  });

  test("stops the run before it starts when the directory cannot be made", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "taken"), "a file where the directory should be");
    const open = () => new LogFile(join(dir, "taken", "logs"), run(), () => {});
    expect(open).toThrow(SextantError);
    expect(open).toThrow(`output/file/path: cannot write the log file ${join(dir, "taken", "logs", "2026-12-06T03-45-06_deploy.log")}: ENOTDIR`);
  });
});
