import { describe, expect, test } from "vitest";
import { RemoteCommandError } from "../../src/errors.ts";
import { LogLineReporter, type LogLine } from "../../src/output/log-lines.ts";

const capture = () => {
  const lines: LogLine[] = [];
  return { lines, r: new LogLineReporter((l) => lines.push(l), "1.2.3") };
};

describe("LogLineReporter", () => {
  test("writes steps as said, and every command and its output with SSHKit's level and the host", () => {
    const { lines, r } = capture();
    r.step("Acquiring the deploy lock...");
    r.command("web-1", "docker ps");
    r.output("web-1", "CONTAINER ID\nabc123\n");
    r.outputForLogs("web-1", "hidden on the terminal");
    r.info("booted", "web-1");
    r.info("Dry run: nothing was sent");
    r.warn("slow", "web-1");
    r.warn("no host");
    r.phase();
    expect(lines.map((l) => l.text)).toEqual([
      "Acquiring the deploy lock...",
      "  INFO [web-1] Running docker ps",
      " DEBUG [web-1] CONTAINER ID",
      " DEBUG [web-1] abc123",
      " DEBUG [web-1] hidden on the terminal",
      "  INFO [web-1] booted",
      "Dry run: nothing was sent",
      "  WARN [web-1] slow",
      "  WARN no host",
    ]);
  });

  test("gives each line its severity and host, for the OTel records", () => {
    const { lines, r } = capture();
    r.step("Build and push app image...");
    r.command("local", "docker build .");
    r.output("local", "#1 done");
    r.warn("slow", "web-1");
    expect(lines).toEqual([
      { text: "Build and push app image...", severity: "info" },
      { text: "  INFO [local] Running docker build .", severity: "info", host: "local" },
      { text: " DEBUG [local] #1 done", severity: "debug", host: "local" },
      { text: "  WARN [web-1] slow", severity: "warn", host: "web-1" },
    ]);
  });

  test("keeps a command with a newline on one line, as the dry-run plan does", () => {
    const { lines, r } = capture();
    r.command("web-1", 'echo "a\nb" > f');
    r.planned("web-1", 'echo "a\nb" > f');
    expect(lines.map((l) => l.text)).toEqual(['  INFO [web-1] Running echo "a\\nb" > f', '  INFO [web-1] Would run echo "a\\nb" > f']);
  });

  test("writes errors as the terminal words them, and the outcome table as said", () => {
    const { lines, r } = capture();
    r.error(new RemoteCommandError("web-1", "docker pull app:1", { code: 1, stderr: "unauthorized" }));
    r.outcomes([{ host: "web-1", role: "web", oldVersion: undefined, newVersion: "2", result: "ok", seconds: 1.5 }]);
    expect(lines.map((l) => l.text)).toMatchInlineSnapshot(`
      [
        " ERROR ✗ [web-1] docker pull app:1 exited 1: unauthorized",
        "HOST   ROLE  OLD  NEW  RESULT  TIME",
        "web-1  web   -    2    ok      1.5s",
      ]
    `);
  });
});
