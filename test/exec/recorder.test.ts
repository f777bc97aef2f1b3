import { describe, expect, test } from "vitest";
import { cmd } from "../../src/commands/shell.ts";
import { Secret } from "../../src/config/secret.ts";
import { RemoteCommandError } from "../../src/errors.ts";
import { Recorder } from "../../src/exec/recorder.ts";
import { MemoryReporter } from "./support.ts";

describe("Recorder", () => {
  test("records wire lines per host in call order, secrets redacted", async () => {
    const rec = new Recorder();
    await rec.run("web-1", cmd("docker", "login", "-p", new Secret("hunter2")));
    await rec.run("web-2", cmd("mkdir", "-p", ".kamal"));
    await rec.capture("web-1", cmd("docker", "ps", "-q"));
    expect(rec.commands("web-1")).toEqual(["docker login -p [REDACTED]", "docker ps -q"]);
    expect(rec.commands()).toEqual(["docker login -p [REDACTED]", "/usr/bin/env mkdir -p .kamal", "docker ps -q"]);
    expect(rec.hosts()).toEqual(["web-1", "web-2"]);
  });

  test("reports each command as a planned line in execution order", async () => {
    const report = new MemoryReporter();
    const rec = new Recorder({ reporter: report });
    await rec.attempt("a", cmd("docker", "stop", "x"));
    await rec.upload("b", { path: ".kamal/apps/app/env/roles/web.env", body: new Secret("A=1\n"), mode: 0o600 });
    expect(report.events).toEqual([
      { type: "planned", host: "a", text: "docker stop x" },
      { type: "planned", host: "b", text: "upload 0600 .kamal/apps/app/env/roles/web.env" },
    ]);
  });

  test("default answers: capture is empty, attempt succeeds", async () => {
    const rec = new Recorder();
    expect(await rec.capture("h", cmd("docker", "ps"))).toBe("");
    expect(await rec.attempt("h", cmd("docker", "ps"))).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("scripted answers match by host and substring, regexp or predicate, and can run out", async () => {
    const rec = new Recorder()
      .answer({ match: "docker ps", host: "h1", result: { stdout: " abc\n" }, times: 1 })
      .answer({ match: /^docker inspect/, result: { code: 1, stderr: "no such object" } })
      .answer({ match: (l) => l.endsWith("version"), result: { stdout: "42" } });
    expect(await rec.capture("h2", cmd("docker", "ps"))).toBe("");
    expect(await rec.capture("h1", cmd("docker", "ps"))).toBe("abc");
    expect(await rec.capture("h1", cmd("docker", "ps"))).toBe("");
    expect(await rec.attempt("h1", cmd("docker", "inspect", "x"))).toEqual({ code: 1, stdout: "", stderr: "no such object" });
    expect(await rec.capture("h1", cmd("docker", "version"))).toBe("42");
  });

  test("a failing answer makes run throw RemoteCommandError with the redacted command", async () => {
    const rec = new Recorder({ answers: [{ match: "false", result: { code: 3, stderr: "boom" } }] });
    const err = await rec.run("h", cmd("false", new Secret("s"))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteCommandError);
    expect((err as RemoteCommandError).message).toBe("[h] false [REDACTED] exited 3: boom");
  });

  test("script stops at the first failure that is not ignored", async () => {
    const rec = new Recorder({ answers: [{ match: "two", result: { code: 1 } }, { match: "four", result: { code: 2 } }] });
    const steps = [
      { cmd: cmd("docker", "one") },
      { cmd: cmd("docker", "two"), ignoreFailure: true },
      { cmd: cmd("docker", "three") },
      { cmd: cmd("docker", "four") },
      { cmd: cmd("docker", "five") },
    ];
    await expect(rec.script("h", steps)).rejects.toThrow("[h] docker four exited 2");
    expect(rec.commands("h")).toEqual(["docker one", "docker two", "docker three", "docker four"]);
    expect(await new Recorder().script("h", steps.slice(0, 1))).toEqual([{ code: 0, stdout: "", stderr: "" }]);
  });

  test("never records stdin content, only that it was given", async () => {
    const rec = new Recorder();
    await rec.run("h", cmd("docker", "login", "--password-stdin"), { stdin: new Secret("pw") });
    expect(rec.calls("h")).toEqual([{ host: "h", kind: "run", line: "docker login --password-stdin", stdin: true, trip: 1 }]);
  });

  test("numbers each host's round trips: a script's steps share one, every other call has its own", async () => {
    const rec = new Recorder();
    await rec.script("h", [{ cmd: cmd("echo", "a") }, { cmd: cmd("echo", "b") }]);
    await rec.run("g", cmd("true"));
    await rec.upload("h", { path: "f", body: "x\n", mode: 0o600 });
    await rec.attempt("h", cmd("false"));
    expect(rec.calls("h").map((c) => [c.line, c.trip])).toEqual([["/usr/bin/env echo a", 1], ["/usr/bin/env echo b", 1], ["upload 0600 f", 2], ["/usr/bin/env false", 3]]);
    expect(rec.calls("g").map((c) => c.trip)).toEqual([1]);
  });

  test("a script's upload steps and steps with stdin share its round trip; stdin is only marked", async () => {
    const rec = new Recorder();
    await rec.script("h", [
      { cmd: cmd("docker", "login", "--password-stdin"), stdin: new Secret("pw\n") },
      { upload: { path: "f.env", body: new Secret("A=1\n"), mode: 0o600 } },
      { cmd: cmd("docker", "run") },
    ]);
    expect(rec.calls("h").map(({ kind, line, stdin, trip }) => [kind, line, stdin, trip])).toEqual([
      ["script", "docker login --password-stdin", true, 1],
      ["upload", "upload 0600 f.env", false, 1],
      ["script", "docker run", false, 1],
    ]);
  });
});
