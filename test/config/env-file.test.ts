import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { withEnvFiles } from "../../src/config/env-file.ts";
import { UsageError } from "../../src/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "sextant-env-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string) => {
  writeFileSync(join(dir, name), body);
  return name;
};

describe("withEnvFiles", () => {
  test("adds the file's variables, as written, to the environment", () => {
    const env = file("basic.env", `# comment\nDB_HOST=10.0.0.2\nexport TOKEN="a b"\nPLAIN='$NOT_EXPANDED'\n`);
    expect(withEnvFiles({ PATH: "/bin" }, [env], dir)).toEqual({
      PATH: "/bin", DB_HOST: "10.0.0.2", TOKEN: "a b", PLAIN: "$NOT_EXPANDED",
    });
  });

  test("the environment wins over the file, even an empty variable", () => {
    const env = file("override.env", "A=from-file\nB=from-file\nC=from-file\n");
    expect(withEnvFiles({ A: "from-env", B: "" }, [env], dir)).toEqual({ A: "from-env", B: "", C: "from-file" });
  });

  test("a later file wins over an earlier one", () => {
    const first = file("first.env", "A=1\nB=1\n");
    const second = file("second.env", "B=2\n");
    expect(withEnvFiles({}, [first, second], dir)).toEqual({ A: "1", B: "2" });
  });

  test("no files: the same environment", () => {
    const env = { A: "1" };
    expect(withEnvFiles(env, [], dir)).toBe(env);
  });

  test("a missing file is a usage error naming it", () => {
    const load = () => withEnvFiles({}, ["missing.env"], dir);
    expect(load).toThrow(UsageError);
    expect(load).toThrow("--env-file missing.env: no such file");
  });
});
