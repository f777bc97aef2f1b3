// Help that teaches: guesses for mistyped commands, subcommands, options and aliases; the global options in every
// command's help; --version; nested `help`; and every usage line and hint spelt as the user invoked sextant.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { event } from "../../src/output/events.ts";
import { appDir, buildCli, ROOT, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let kamal = "";
let linkDir = "";
let cleanup = () => {};
beforeAll(() => {
  ({ bin, cleanup } = buildCli());
  // What npm's bin symlink node_modules/.bin/kamal looks like to the process: a link with its own name.
  linkDir = mkdtempSync(join(tmpdir(), "sextant-bin-"));
  kamal = join(linkDir, "kamal");
  symlinkSync(bin, kamal);
}, 60_000);
afterAll(() => {
  cleanup();
  rmSync(linkDir, { recursive: true, force: true });
});

const run = (args: string[], cwd = appDir()) => runCli(bin, args, { cwd });
const runAsKamal = (args: string[], cwd = appDir()) => runCli(kamal, args, { cwd });

describe("suggestions", () => {
  test("a mistyped command", async () => {
    expect(await run(["deplyo"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find command "deplyo".
        fix: did you mean \`sextant deploy\`? \`sextant --help\` lists the commands
      ",
        "stdout": "",
      }
    `);
  });

  test("a mistyped subcommand", async () => {
    expect(await run(["app", "bot"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown command 'bot'
        fix: did you mean \`sextant app boot\`? \`sextant app --help\` lists the commands
      ",
        "stdout": "",
      }
    `);
  });

  test("a mistyped option of a command, global options included", async () => {
    expect(await run(["deploy", "--dryrun"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '--dryrun'
        fix: did you mean --dry-run? \`sextant deploy --help\` lists the options
      ",
        "stdout": "",
      }
    `);
    expect(await run(["app", "logs", "--folow"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '--folow'
        fix: did you mean --follow? \`sextant app logs --help\` lists the options
      ",
        "stdout": "",
      }
    `);
  });

  test("a mistyped alias of the config", async () => {
    const app = mkdtempSync(join(tmpdir(), "sextant-help-"));
    cpSync(join(ROOT, "fixtures/deploy/with-aliases"), app, { recursive: true });
    expect(await run(["consle"], app)).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find command "consle".
        fix: did you mean \`sextant console\`? \`sextant --help\` lists the commands
      ",
        "stdout": "",
      }
    `);
  });

  test("nothing close: the fix points at the help", async () => {
    expect(await run(["frobnicate"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find command "frobnicate".
        fix: run \`sextant --help\` for the commands, or define "frobnicate" under aliases: in the config
      ",
        "stdout": "",
      }
    `);
    expect(await run(["deploy", "--frob"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '--frob'
        fix: run \`sextant deploy --help\`
      ",
        "stdout": "",
      }
    `);
  });
});

describe("options without a command", () => {
  test("--version alone prints sextant's version and the Kamal release it follows", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "compatible with Kamal 2.12.0\n" });
  });

  test("--version with --json is the version command's result event", async () => {
    const { code, stdout } = await run(["--json", "--version"]);
    expect(code).toBe(0);
    expect(event.parse(JSON.parse(stdout.split("\n")[0] ?? ""))).toMatchObject({ type: "result", data: { version: "0.1.0", kamal: "2.12.0" } });
  });

  test("after a command, --version keeps Kamal's meaning: the app version to use", async () => {
    expect(await run(["deploy", "--version"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ option '--version <version>' argument missing
        fix: run \`sextant deploy --help\`
      ",
        "stdout": "",
      }
    `);
  });

  test("an unknown option exits 2, with a guess when one is close", async () => {
    expect(await run(["-x"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '-x'
        fix: run \`sextant --help\`
      ",
        "stdout": "",
      }
    `);
    expect(await run(["--dryrn"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '--dryrn'
        fix: did you mean --dry-run? \`sextant --help\` lists the options
      ",
        "stdout": "",
      }
    `);
  });

  test("known global options alone still print the help", async () => {
    const { code, stdout, stderr } = await run(["-v"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("Usage: sextant [options] [command]");
  });
});

describe("help", () => {
  test("the program's help ends by naming --version, help COMMAND and completion", async () => {
    const { stdout } = await run([]);
    expect(stdout.slice(stdout.indexOf("  help [command]"))).toMatchInlineSnapshot(`
      "  help [command]                  Show help for a command

      Run \`sextant help COMMAND\` for a command's options, \`sextant --version\` for the version,
      and \`sextant completion --help\` to set up tab completion in bash, zsh or fish.
      "
    `);
  });

  test("a command's help lists the global options too", async () => {
    const { code, stdout } = await run(["deploy", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
      "Usage: sextant deploy [options]

      Deploy the app to the servers: build, push, pull, then boot with zero downtime

      Options:
        -P, --skip-push                 Skip the image build and push; only pull
        --no-cache                      Build without the builder cache
        --canary <percent>              Canary: give the new version PERCENT% of
                                        kamal-rollout cookies (see \`canary\`)
        --help                          Show help

      Global Options:
        -v, --verbose                   Detailed logging: every command and all remote
                                        output
        -q, --quiet                     Minimal logging: only errors and the final
                                        summary
        --version <version>             Run commands against a specific app version
        -p, --primary                   Run commands only on the primary host instead
                                        of all
        -h, --hosts <hosts>             Run commands on these hosts instead of all
                                        (comma-separated, * wildcards)
        -r, --roles <roles>             Run commands on these roles instead of all
                                        (comma-separated, * wildcards)
        -c, --config-file <path>        Path to the config file (default:
                                        config/deploy.yml, here or in a parent
                                        directory)
        -d, --destination <name>        Destination (staging ->
                                        config/deploy.staging.yml)
        -H, --skip-hooks                Don't run hooks
        --lock-wait                     Wait for an automatic deploy lock to be
                                        released instead of failing
        --lock-wait-timeout <seconds>   Longest wait for the deploy lock with
                                        --lock-wait (default: 900)
        --lock-wait-interval <seconds>  Seconds between deploy lock attempts with
                                        --lock-wait (default: 15)
        --lock-stale-after <seconds>    With --lock-wait, take over a sextant lock
                                        whose heartbeat stopped longer ago (default:
                                        300)
        --dry-run                       Print the commands that would run
                                        (HOST<tab>COMMAND) instead of running them
        --json                          Write NDJSON events to stdout instead of text
        --no-color                      Never colour the output
        --env-file <path>               Load environment variables from a .env file
                                        (repeatable; the environment wins)
      "
    `);
  });

  test("help with a nested command shows that command's help", async () => {
    const nested = await run(["help", "app", "logs"]);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toMatch(/^Usage: sextant app logs \[options\]\n/);
    expect(nested.stdout).toBe((await run(["app", "logs", "--help"])).stdout);
    expect((await run(["app", "help", "logs"])).stdout).toBe(nested.stdout);
  });

  test("help of an unknown command is the unknown command's error", async () => {
    expect(await run(["help", "deplyo"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find command "deplyo".
        fix: did you mean \`sextant deploy\`? \`sextant --help\` lists the commands
      ",
        "stdout": "",
      }
    `);
  });
});

describe("invoked as kamal", () => {
  test("usage lines and the help say kamal", async () => {
    const { code, stdout } = await runAsKamal(["deploy", "--help"]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe("Usage: kamal deploy [options]");
    expect((await runAsKamal([])).stdout).toContain("Run `kamal help COMMAND` for a command's options, `kamal --version` for the version,");
  });

  test("hints say kamal", async () => {
    expect(await runAsKamal(["deplyo"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ Could not find command "deplyo".
        fix: did you mean \`kamal deploy\`? \`kamal --help\` lists the commands
      ",
        "stdout": "",
      }
    `);
    expect(await runAsKamal(["app", "logs", "--bogus"])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "✗ unknown option '--bogus'
        fix: run \`kamal app logs --help\`
      ",
        "stdout": "",
      }
    `);
  });

  test("the completion script completes kamal", async () => {
    const { stdout } = await runAsKamal(["completion", "bash"]);
    expect(stdout.split("\n").at(-2)).toBe("complete -o default -F _kamal_completion kamal");
  });
});
