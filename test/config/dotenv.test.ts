import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type CommandSite, parseDotenv } from "../../src/config/dotenv.ts";
import { shellCapture } from "../../src/exec/local.ts";

const ENV = { FROMENV: "envval", KAMAL_REGISTRY_PASSWORD: "from-env", PATH: "/usr/bin:/bin" };

/** Parses `text` as .kamal/secrets, running its commands with the real /bin/sh in `cwd`. */
async function parse(text: string, env: Record<string, string> = ENV, cwd = tmpdir()) {
  const commands: [string, CommandSite][] = [];
  const result = await parseDotenv(text, {
    file: ".kamal/secrets",
    env,
    runCommand: async (command, site) => {
      commands.push([command, site]);
      return (await shellCapture(command, { cwd, env })).stdout.replace(/\n$/, "");
    },
  });
  return { values: Object.fromEntries(result.values), warnings: result.warnings, commands };
}
const values = async (text: string, env?: Record<string, string>) => (await parse(text, env)).values;

describe("the verified examples of kamal-config.md §15.2", () => {
  test.each([
    ["A=abc # comment", "abc"],
    ['A="abc # not comment"', "abc # not comment"],
    ["A=${FROMENV}x $FROMENV", "envvalx envval"],
    ["A=\\$FROMENV", "$FROMENV"],
    ["A=\\$(echo hi)", "$(echo hi)"],
    ["A='$(echo hi)'", "$(echo hi)"],
    ['A="$(echo hi)"', "hi"],
    ['A="a\\"b"', 'a"b'],
    ['A=$(echo "(nested)")', "(nested)"],
    ["A=$KAMAL_REGISTRY_PASSWORD", "from-env"],
  ])("%s", async (line, expected) => {
    expect((await values(line)).A).toBe(expected);
  });

  test("an earlier key of the same file wins over the environment", async () => {
    expect(await values("A=1\nB=${A}2\nFROMENV=mine\nC=$FROMENV")).toEqual({ A: "1", B: "12", FROMENV: "mine", C: "mine" });
  });

  test("$(cat file) reads the file relative to the working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sextant-dotenv-"));
    writeFileSync(join(dir, "master.key"), "0123abcd\n");
    expect((await parse("SECRET=$(cat master.key)", ENV, dir)).values).toEqual({ SECRET: "0123abcd" });
  });
});

describe("line syntax", () => {
  test("export, colons, spaces around =, dotted keys, and bare keys", async () => {
    expect(await values("export A=1\nB: two\nC = 3\nD.E=4\nF\n")).toEqual({ A: "1", B: "two", C: "3", "D.E": "4", F: "" });
  });

  test("comments and lines that are not assignments are skipped", async () => {
    expect(await values("# a comment\n  # indented\nnot an assignment\nA=x#y\n\n\nB=2")).toEqual({ A: "x", B: "2" });
  });

  test("a byte order mark is ignored", async () => {
    expect(await values("\uFEFFA=1")).toEqual({ A: "1" });
  });

  test("CRLF line endings", async () => {
    expect(await values("A=1\r\nB=\"two\"\r\nC=3")).toEqual({ A: "1", B: "two", C: "3" });
  });

  test("quoted values span lines and keep their real line breaks", async () => {
    expect(await values('KEY="-----BEGIN KEY-----\nMIIabc\n-----END KEY-----"\nNEXT=1')).toEqual({
      KEY: "-----BEGIN KEY-----\nMIIabc\n-----END KEY-----", NEXT: "1",
    });
    expect(await values("S='line1\nline2'")).toEqual({ S: "line1\nline2" });
  });

  test("an empty value is empty, and the next line stays its own entry", async () => {
    expect(await values("A=\nB=2")).toEqual({ A: "", B: "2" });
  });

  test("a later line overrides an earlier one", async () => {
    expect(await values("A=1\nA=2")).toEqual({ A: "2" });
  });

  test("export KEY alone keeps an earlier value, and is an error without one", async () => {
    expect(await values("A=1\nexport A")).toEqual({ A: "1" });
    await expect(values("B=1\nexport A")).rejects.toThrow('.kamal/secrets:2:1: Line "export A" has an unset variable');
  });
});

describe("escapes and quoting", () => {
  test("single quotes are literal", async () => {
    expect(await values("A='p@ss$word \\n \\\" ${X}'")).toEqual({ A: 'p@ss$word \\n \\" ${X}' });
  });

  test("double quotes keep \\n literally unless DOTENV_LINEBREAK_MODE=legacy", async () => {
    expect(await values('A="x\\ny"')).toEqual({ A: "x\\ny" });
    expect(await values('DOTENV_LINEBREAK_MODE=legacy\nA="x\\ny\\rz"')).toEqual({ DOTENV_LINEBREAK_MODE: "legacy", A: "x\ny\rz" });
    expect(await values('A="x\\ny"', { ...ENV, DOTENV_LINEBREAK_MODE: "legacy" })).toEqual({ A: "x\ny" });
  });

  test("outside single quotes a backslash escapes any character but $", async () => {
    expect(await values("A=x\\ny\nB=a\\\\b\nC=\\$HOME")).toEqual({ A: "xny", B: "a\\b", C: "$HOME" });
  });

  test("${NAME} and $NAME; a $ not followed by a name stays", async () => {
    expect(await values("A=${FROMENV}-$FROMENV-$-${}-$MISSING.")).toEqual({ A: "envval-envval-$-${}-." });
  });
});

describe("command substitution", () => {
  test("variables inside a command are expanded before it runs, even within its single quotes", async () => {
    const { values: v, commands } = await parse("NAME=world\nA=$(echo 'hello $NAME')");
    expect(v.A).toBe("hello world");
    expect(commands.map(([command, site]) => [command, site])).toEqual([["echo 'hello world'", { line: 2, key: "A", written: "echo 'hello $NAME'" }]]);
  });

  test("parentheses must balance; escaped ones do not count", async () => {
    expect(await values("A=$(echo '(a)(b)')\nB=$(echo x\\\\)y)")).toEqual({ A: "(a)(b)", B: "x)y" });
    expect(await values("A=$(echo (unclosed)\nB=$()")).toEqual({ A: "$(echo (unclosed)", B: "$()" });
  });

  test("several commands in one value each run, in order", async () => {
    expect(await values('A="$(echo a)-$(echo b)"')).toEqual({ A: "a-b" });
  });

  test("one trailing newline of the output is dropped", async () => {
    expect(await values(`A="$(printf 'x\\n\\n')"`)).toEqual({ A: "x\n" });
  });

  test("unquoted, the backslash escapes are removed before the command runs", async () => {
    expect(await values("A=$(printf 'x\\n')")).toEqual({ A: "xn" });
  });
});

describe("the dotenv 3.2.0 quirk: variables are expanded in command output", () => {
  const withPasswordFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "sextant-dotenv-"));
    writeFileSync(join(dir, "pw.txt"), "pa$word");
    return dir;
  };

  test("a $word printed by a command is expanded, and a warning names the line and command but not the value", async () => {
    const { values: v, warnings } = await parse("A=1\nB=$(cat pw.txt)", ENV, withPasswordFile());
    expect(v.B).toBe("pa");
    expect(warnings).toEqual([{
      file: ".kamal/secrets", path: "B", line: 2,
      message: "the output of $(cat pw.txt) contains a `$NAME` that was then expanded as a variable, as Kamal 2.12 does " +
        "(dotenv 3.2.0), so the value is not what the command printed",
      fix: "if the `$` belongs to the secret, export the secret before running sextant and write B=$VARIABLE " +
        "(a value taken from the environment is not expanded again), or make the command print each `$` as `\\$`",
    }]);
  });

  test("both fixes the warning suggests keep the $", async () => {
    expect(await values("A=$DB_PASSWORD", { ...ENV, DB_PASSWORD: "pa$word" })).toEqual({ A: "pa$word" });
    const { values: v, warnings } = await parse(String.raw`A=$(sed 's/[$]/\\\\\\$/g' pw.txt)`, ENV, withPasswordFile());
    expect([v.A, warnings]).toEqual(["pa$word", []]);
  });

  test("a $word written inside the command is expanded before it runs, so nothing is printed to warn about", async () => {
    expect(await parse("A=$(printf '%s' 'a$bc')")).toMatchObject({ values: { A: "a" }, warnings: [] });
  });

  test("no warning for variables written in the file itself", async () => {
    expect((await parse("A=$(echo x)$FROMENV")).warnings).toEqual([]);
  });
});

describe("Kamal 2.12's own test secrets", () => {
  test("every secrets file in the conformance vectors parses to the values Kamal's tests saw", async () => {
    const { readFileSync } = await import("node:fs");
    const vectors = readFileSync(join(import.meta.dirname, "../conformance/kamal-2.12-vectors.jsonl"), "utf8").split("\n").filter(Boolean)
      .map((line) => JSON.parse(line) as { secrets_files?: Record<string, string>; secrets?: Record<string, string> })
      .filter((v) => v.secrets_files?.[".kamal/secrets"] !== undefined);
    expect(vectors.length).toBeGreaterThan(100);
    for (const v of vectors) expect(await values(v.secrets_files?.[".kamal/secrets"] ?? "", {})).toEqual(v.secrets);
  });
});
