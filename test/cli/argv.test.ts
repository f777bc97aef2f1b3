import { Command } from "commander";
import { describe, expect, test } from "vitest";
import { expandAliases } from "../../src/cli/aliases.ts";
import { commandIndex, normalizeArgv, scanGlobals } from "../../src/cli/argv.ts";
import { booleanFlags, thorBooleans } from "../../src/cli/booleans.ts";
import { addGlobalOptions, type Globals } from "../../src/cli/globals.ts";
import { shellSplit } from "../../src/cli/shellwords.ts";
import { UsageError } from "../../src/errors.ts";

describe("normalizeArgv", () => {
  test("accepts Thor's underscore spelling of long options, leaving values and everything after -- alone", () => {
    expect(normalizeArgv(["deploy", "--skip_push", "--lock_wait_timeout=5", "--hosts=web_1", "--", "--keep_me"])).toEqual([
      "deploy", "--skip-push", "--lock-wait-timeout=5", "--hosts=web_1", "--", "--keep_me",
    ]);
  });
});

describe("commandIndex", () => {
  test("skips global options and their values", () => {
    expect(commandIndex(["-c", "config/x.yml", "-d", "staging", "-v", "console", "-r", "web"])).toBe(5);
    expect(commandIndex(["--config-file=config/x.yml", "deploy"])).toBe(1);
    expect(commandIndex(["-v", "--hosts", "a,b"])).toBe(-1);
  });
});

describe("scanGlobals", () => {
  test("reads global options anywhere on the line; the last one wins", () => {
    const g = scanGlobals(["app", "exec", "-d", "one", "--reuse", "-d", "two", "-q", "--json", "--no-color", "ls"]);
    expect([g.destination, g.quiet, g.json, g.color, g.configFile]).toEqual(["two", true, true, false, "config/deploy.yml"]);
  });
});

describe("shellSplit", () => {
  test("splits like Ruby's Shellwords", () => {
    expect(shellSplit(`app exec --reuse -p -r console "bin/console"`, "aliases/console")).toEqual([
      "app", "exec", "--reuse", "-p", "-r", "console", "bin/console",
    ]);
    expect(shellSplit(`a 'b c' "d \\"e\\"" f\\ g ""`, "x")).toEqual(["a", "b c", 'd "e"', "f g", ""]);
  });

  test("aliases use Ruby's Shellwords, backslashes included", () => {
    // Ruby 3.1: Shellwords.split("x\\") == ["x\\"]; Shellwords.split("\"a\\\nb\"") == ["a\nb"]; Shellwords.split("\\\n") == ["\\\n"]
    expect(shellSplit("x\\", "x")).toEqual(["x\\"]);
    expect(shellSplit('"a\\\nb"', "x")).toEqual(["a\nb"]);
    expect(shellSplit("\\\n", "x")).toEqual(["\\\n"]);
  });

  test("an unmatched quote is a usage error naming the alias", () => {
    const split = () => shellSplit(`app exec "bin/console`, "aliases/console");
    expect(split).toThrow(UsageError);
    expect(split).toThrow(`aliases/console: unmatched quote in "app exec \\"bin/console"`);
  });
});

describe("expandAliases", () => {
  const builtins = new Set(["app", "details", "config", "deploy"]);
  const aliases: Record<string, Record<string, string>> = {
    "config/deploy.yml": {
      console: `app exec --reuse -p -r console "bin/console"`,
      info: "details",
      other: "config -c config/deploy2.yml",
      other_dest: "config -d elsewhere",
      deep: "info -q",
    },
    "config/deploy2.yml": { second: "details -p" },
  };
  const seen: Globals[] = [];
  const lookup = async (g: Globals) => {
    seen.push(g);
    return aliases[g.configFile] ?? {};
  };

  test("puts the user's arguments after the alias words, so the user's options win", async () => {
    expect(await expandAliases(["console", "-r", "workers"], builtins, lookup)).toEqual([
      "app", "exec", "--reuse", "-p", "-r", "console", "bin/console", "-r", "workers",
    ]);
  });

  test("keeps options given before the alias name", async () => {
    expect(await expandAliases(["-d", "staging", "console", "bin/job"], builtins, lookup)).toEqual([
      "app", "exec", "--reuse", "-p", "-r", "console", "bin/console", "-d", "staging", "bin/job",
    ]);
  });

  test("a -c or -d inside the alias is part of the new line", async () => {
    expect(await expandAliases(["other"], builtins, lookup)).toEqual(["config", "-c", "config/deploy2.yml"]);
    expect(await expandAliases(["other_dest"], builtins, lookup)).toEqual(["config", "-d", "elsewhere"]);
  });

  test("looks the alias up in the config that -c points at", async () => {
    expect(await expandAliases(["-c", "config/deploy2.yml", "second"], builtins, lookup)).toEqual([
      "details", "-p", "-c", "config/deploy2.yml",
    ]);
  });

  test("an alias may name another alias", async () => {
    expect(await expandAliases(["deep", "-v"], builtins, lookup)).toEqual(["details", "-q", "-v"]);
  });

  test("leaves built-in commands alone without reading the config", async () => {
    seen.length = 0;
    expect(await expandAliases(["deploy", "--skip-push"], builtins, lookup)).toEqual(["deploy", "--skip-push"]);
    expect(seen).toEqual([]);
  });

  test("an unknown name is a usage error", async () => {
    await expect(expandAliases(["frobnicate"], builtins, lookup)).rejects.toThrow('Could not find command "frobnicate".');
  });

  test("aliases that call each other loop no further than ten hops", async () => {
    const loop = async () => ({ a: "b", b: "a" });
    await expect(expandAliases(["a"], builtins, loop)).rejects.toThrow("aliases call each other in a loop: a");
  });
});

describe("thorBooleans", () => {
  const program = addGlobalOptions(new Command("sextant"));
  program.command("deploy").option("-P, --skip-push").option("--no-cache");
  const known = booleanFlags(program);

  test("--flag=true and --flag true are the flag; the true/false word is consumed", () => {
    expect(thorBooleans(["deploy", "--skip-push=true", "--verbose", "T", "web"], known)).toEqual([
      "deploy", "--skip-push", "--verbose", "web",
    ]);
  });

  test("a false value or --no-flag undoes the same flag given earlier, short form included", () => {
    expect(thorBooleans(["deploy", "-P", "-p", "--skip-push=false", "--primary", "false"], known)).toEqual(["deploy"]);
    expect(thorBooleans(["deploy", "-q", "--no-quiet"], known)).toEqual(["deploy"]);
  });

  test("leaves value options, --no- options a command defines, and everything after -- alone", () => {
    expect(thorBooleans(["deploy", "--hosts=true", "--no-cache", "--", "--verbose=false"], known)).toEqual([
      "deploy", "--hosts=true", "--no-cache", "--", "--verbose=false",
    ]);
  });

  test("a word that only looks like a value is not consumed", () => {
    expect(thorBooleans(["deploy", "--verbose", "yes"], known)).toEqual(["deploy", "--verbose", "yes"]);
  });

  test("an option declared only as --no-flag: `--flag false` turns it off, `--flag` or `--flag=true` back on", () => {
    expect(thorBooleans(["deploy", "--cache", "false", "web"], known)).toEqual(["deploy", "--no-cache", "web"]);
    expect(thorBooleans(["deploy", "--cache=f"], known)).toEqual(["deploy", "--no-cache"]);
    expect(thorBooleans(["deploy", "--no-cache", "--cache"], known)).toEqual(["deploy"]);
    expect(thorBooleans(["deploy", "--cache=false", "--cache=true", "true"], known)).toEqual(["deploy", "true"]);
  });

  test("leaves --flag=VALUE alone when VALUE is no true/false word, for commander to reject", () => {
    expect(thorBooleans(["deploy", "--cache=maybe"], known)).toEqual(["deploy", "--cache=maybe"]);
  });
});
