import { Chalk } from "chalk";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { ConfigError, HostsFailedError, RemoteCommandError, SextantError } from "../../src/errors.ts";
import { errorAnnotations, escapeData, escapeProperty, workflowCommand } from "../../src/output/github-commands.ts";
import { GitHubReporter } from "../../src/output/github.ts";
import { HumanReporter, type Sink, type Verbosity } from "../../src/output/human.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A GitHub reporter around a real human reporter whose clock says +1.0s at every step. */
function github(opts: { summaryFile?: string; verbosity?: Verbosity; repoPath?: (f: string) => string } = {}) {
  let log = "";
  let stdout = "";
  let clock = 0;
  const verbosity = opts.verbosity ?? "normal";
  const r = new GitHubReporter({
    out: { write: (s: string) => (log += s) },
    human: (stderr: Sink) => new HumanReporter({
      stdout: { write: (s: string) => (stdout += s) }, stderr, verbosity, chalk: new Chalk({ level: 0 }), version: "1.2.3", now: () => (clock += 1000),
    }),
    verbosity,
    version: "1.2.3",
    summaryFile: opts.summaryFile,
    command: "deploy",
    repoPath: opts.repoPath,
  });
  return { r, log: () => log, stdout: () => stdout };
}

function summaryFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-summary-"));
  dirs.push(dir);
  const file = join(dir, "summary.md");
  writeFileSync(file, "## Earlier step\n\n");
  return file;
}

describe("GitHubReporter", () => {
  test("folds each step into a group, and a step's per-host lines into one group per host after it", () => {
    const { r, log, stdout } = github();
    r.padTo(["web-1", "web-22"]);
    r.step("Acquiring the deploy lock...");
    r.info("Acquired the deploy lock");
    r.step("Start container with version 42...");
    r.info("Booting", "web-1");
    r.info("Booting", "web-22");
    r.warn("slow health check", "web-1");
    r.info("Container is healthy!", "web-1");
    r.planned("web-1", "docker run app:42");
    r.outcomes([{ host: "web-1", role: "web", oldVersion: "41", newVersion: "42", result: "ok", seconds: 3 }]);
    r.step("Releasing the deploy lock...");
    r.end(0);
    expect(stdout()).toBe("web-1\tdocker run app:42\n");
    expect(log()).toMatchInlineSnapshot(`
      "::group::Acquiring the deploy lock...
      ▸ Acquiring the deploy lock... +1.0s
      Acquired the deploy lock
      ::endgroup::
      ::group::Start container with version 42...
      ▸ Start container with version 42... +2.0s
      ::warning::[web-1] slow health check
      ::endgroup::
      ::group::Start container with version 42... [web-1]
      [web-1]   Booting
      [web-1]   warning: slow health check
      [web-1]   Container is healthy!
      ::endgroup::
      ::group::Start container with version 42... [web-22]
      [web-22]  Booting
      ::endgroup::
      HOST   ROLE  OLD  NEW  RESULT  TIME
      web-1  web   41   42   ok      3.0s
      ::group::Releasing the deploy lock...
      ▸ Releasing the deploy lock... +3.0s
      ::endgroup::
      "
    `);
  });

  test("config problems become ::error annotations at their file, line and column, before the usual text", () => {
    const { r, log } = github({ repoPath: (f) => `apps/shop/${f}` });
    r.step("Loading the config...");
    r.error(new ConfigError([
      { file: "config/deploy.yml", path: "servers/web/hosts", message: "should be an array", fix: "write a list: `[a, b]`", line: 5, column: 5 },
      { file: "config/deploy.yml", path: "", message: "unknown key: colour" },
    ]));
    expect(log()).toBe(
      "::group::Loading the config...\n▸ Loading the config... +1.0s\n::endgroup::\n" +
        "::error file=apps/shop/config/deploy.yml,line=5,col=5,title=sextant%3A invalid config::servers/web/hosts: should be an array%0Afix: write a list: `[a, b]`\n" +
        "::error file=apps/shop/config/deploy.yml,title=sextant%3A invalid config::unknown key: colour\n" +
        "✗ config/deploy.yml:5:5: servers/web/hosts: should be an array\n  fix: write a list: `[a, b]`\n" +
        "✗ config/deploy.yml: unknown key: colour\n",
    );
  });

  test("writes the outcome table, the exit code and the failure to the job summary, after what was there", () => {
    const file = summaryFile();
    const { r } = github({ summaryFile: file });
    const failures = new Map<string, Error>([["web-2", new RemoteCommandError("web-2", "docker run app:42", { code: 1, stderr: "no | space" })]]);
    r.outcomes([
      { host: "web-1", role: "web", oldVersion: "41", newVersion: "42", result: "ok", seconds: 3.25 },
      { host: "web-2", role: "web", oldVersion: undefined, newVersion: "42", result: "failed", seconds: 1, error: "docker run exited 1: no | space" },
    ]);
    r.error(new HostsFailedError(failures));
    r.end(1);
    r.end(1);
    expect(readFileSync(file, "utf8")).toBe(`## Earlier step

### sextant deploy failed (exit code 1)

| Host | Role | Old | New | Result | Time |
| --- | --- | --- | --- | --- | --- |
| \`web-1\` | web | 41 | 42 | ok | 3.3s |
| \`web-2\` | web | - | 42 | **FAILED**: docker run exited 1: no \\| space | 1.0s |

\`\`\`
✗ [web-2] docker run app:42 exited 1: no | space
\`\`\`

`);
  });

  test("a run that deployed nothing and succeeded adds nothing to the job summary", () => {
    const file = summaryFile();
    const { r } = github({ summaryFile: file });
    r.result("0.1.0");
    r.end(0);
    expect(readFileSync(file, "utf8")).toBe("## Earlier step\n\n");
  });

  test("-q: no groups and no warnings, errors still annotated", () => {
    const { r, log } = github({ verbosity: "quiet" });
    r.step("Pull app image...");
    r.warn("careful");
    r.error(new SextantError("boom", { hint: "do less" }));
    expect(log()).toBe("::error title=sextant::boom%0Afix: do less\n✗ boom\n  fix: do less\n");
  });
});

describe("workflow commands", () => {
  test("escape %, CR and LF in messages, and : and , too in properties", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext%3A a%2C b");
    expect(workflowCommand("error", "a: b, c\nd", { file: "config/deploy,v2.yml", line: 3, col: 1, title: "x: y" }))
      .toBe("::error file=config/deploy%2Cv2.yml,line=3,col=1,title=x%3A y::a: b, c%0Ad\n");
    expect(workflowCommand("warning", "50%")).toBe("::warning::50%25\n");
  });

  test("one ::error per failed host, titled with the host, with its fix", () => {
    const failures = new Map<string, Error>([
      ["web-1", new RemoteCommandError("web-1", "docker pull app:42", { code: 1, stderr: "unauthorized" }, { hint: "log in" })],
      ["web-2", new Error("connect ECONNREFUSED")],
    ]);
    expect(errorAnnotations(new HostsFailedError(failures))).toEqual([
      "::error title=sextant%3A failed on web-1::docker pull app:42 exited 1: unauthorized%0Afix: log in\n",
      "::error title=sextant%3A failed on web-2::connect ECONNREFUSED\n",
    ]);
    expect(errorAnnotations(new RangeError("bad"))).toEqual(["::error title=sextant%3A this is a bug in sextant::RangeError: bad\n"]);
  });
});
