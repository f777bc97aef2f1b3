import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect, test } from "vitest";
import { createSecretStore } from "../../src/config/secrets.ts";
import type { SecretStoreOptions } from "../../src/config/secrets.ts";
import { ConfigError } from "../../src/errors.ts";
import { shellCapture } from "../../src/exec/local.ts";
import { printSecrets } from "../../src/secrets/print.ts";

/** A project directory holding the given files (paths relative to it). */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-secrets-"));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

const ENV = { PATH: "/usr/bin:/bin" };
const store = (cwd: string, opts: Partial<SecretStoreOptions> = {}) =>
  createSecretStore({ secretsPath: ".kamal/secrets", cwd, env: ENV, ...opts });

async function loaded(cwd: string, opts: Partial<SecretStoreOptions> = {}) {
  const s = store(cwd, opts);
  await s.load();
  return s;
}
const reveal = async (cwd: string, name: string, opts: Partial<SecretStoreOptions> = {}) => (await loaded(cwd, opts)).get(name).reveal();
const messageOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

test("reads .kamal/secrets-common, then .kamal/secrets", async () => {
  const dir = project({ ".kamal/secrets-common": "SECRET=GHI\nSECRET2=JKL", ".kamal/secrets": "SECRET=ABC" });
  const s = await loaded(dir);
  expect([s.get("SECRET").reveal(), s.get("SECRET2").reveal()]).toEqual(["ABC", "JKL"]);
  expect(s.files).toEqual([".kamal/secrets-common", ".kamal/secrets"]);
});

test("a destination reads .kamal/secrets.<dest> instead of .kamal/secrets", async () => {
  const dir = project({ ".kamal/secrets.dest": "SECRET=DEF", ".kamal/secrets": "SECRET=ABC", ".kamal/secrets-common": "SECRET=GHI\nSECRET2=JKL" });
  expect(await reveal(dir, "SECRET", { destination: "dest" })).toBe("DEF");
  expect(await reveal(dir, "SECRET", { destination: "nodest" })).toBe("GHI");
  expect(await reveal(dir, "SECRET2", { destination: "dest" })).toBe("JKL");
});

test("a custom secrets_path, with its -common and .<dest> files", async () => {
  const dir = project({ "custom/path/secrets-common": "COMMON=SHARED\nSECRET=COMMON", "custom/path/secrets": "SECRET=OVERRIDE", "custom/path/secrets.prod": "SECRET=PROD" });
  const s = await loaded(dir, { secretsPath: "custom/path/secrets" });
  expect([s.get("COMMON").reveal(), s.get("SECRET").reveal()]).toEqual(["SHARED", "OVERRIDE"]);
  expect(await reveal(dir, "SECRET", { secretsPath: "custom/path/secrets", destination: "prod" })).toBe("PROD");
});

test("each file is parsed on its own: a $VAR cannot see another file's keys", async () => {
  const dir = project({ ".kamal/secrets-common": "BASE=common", ".kamal/secrets": "DERIVED=${BASE}-x" });
  expect(await reveal(dir, "DERIVED")).toBe("-x");
});

test("values are Secrets: redacted in messages, whole through reveal()", async () => {
  const s = await loaded(project({ ".kamal/secrets": "SECRET=$(echo ABC)\nENVREF=$SECRET1" }), { env: { ...ENV, SECRET1: "from-env" } });
  expect([`${s.get("SECRET")}`, JSON.stringify(s.get("SECRET")), s.get("SECRET").reveal(), s.get("SECRET").name]).toEqual([
    "[REDACTED]", '"[REDACTED]"', "ABC", "SECRET",
  ]);
  expect(s.get("ENVREF").reveal()).toBe("from-env");
});

test("a missing secret names the files that exist, with a fix", async () => {
  const s = await loaded(project({ ".kamal/secrets-common": "A=1", ".kamal/secrets": "B=2" }));
  expect(messageOf(() => s.get("SECRET"))).toMatchObject({
    exitCode: 2,
    message: "Secret 'SECRET' not found in .kamal/secrets-common, .kamal/secrets",
    hint: "add SECRET=... to .kamal/secrets (or to .kamal/secrets-common to share it between destinations)",
  });
});

test("with no secrets files, the message lists the files it looked for", async () => {
  const dir = project();
  const plain = await loaded(dir);
  expect(messageOf(() => plain.get("SECRET"))).toMatchObject({
    message: "Secret 'SECRET' not found, no secret files (.kamal/secrets-common, .kamal/secrets) provided",
  });
  const dest = await loaded(dir, { destination: "dest" });
  expect(messageOf(() => dest.get("SECRET"))).toMatchObject({
    message: "Secret 'SECRET' not found, no secret files (.kamal/secrets-common, .kamal/secrets.dest) provided",
    hint: "add SECRET=... to .kamal/secrets.dest (or to .kamal/secrets-common to share it between destinations)",
  });
  expect(dest.files).toEqual([]);
});

test("a directory where a secrets file would be is skipped", async () => {
  const s = await loaded(project({ ".kamal/secrets/README": "not a secrets file", ".kamal/secrets-common": "A=1" }));
  expect([s.files, printSecrets(s)]).toEqual([[".kamal/secrets-common"], "A=1"]);
});

test("has() is Kamal's key?: a blank value counts as absent", async () => {
  const s = await loaded(project({ ".kamal/secrets": "SET=x\nBLANK=\nSPACES=' '" }));
  expect([s.has("SET"), s.has("BLANK"), s.has("SPACES"), s.has("NOPE")]).toEqual([true, false, false, false]);
});

test("loads once, lazily, running every command even for unused keys", async () => {
  const dir = project({ ".kamal/secrets": "A=$(echo run >> runs.log; echo a)\nB=$(echo run >> runs.log; echo b)" });
  let runs = 0;
  const s = store(dir, { shell: (command, o) => ((runs += 1), shellCapture(command, o)) });
  expect(runs).toBe(0);
  await Promise.all([s.load(), s.load()]);
  await s.load();
  expect([runs, s.get("A").reveal(), [...s.all().keys()]]).toEqual([2, "a", ["A", "B"]]);
});

test("a later file overrides a key but keeps its first position", async () => {
  const s = await loaded(project({ ".kamal/secrets-common": "A=1\nB=2", ".kamal/secrets": "C=3\nA=4" }));
  expect(printSecrets(s)).toBe("A=4\nB=2\nC=3");
});

test("secrets print writes KEY=value lines, interpolation done", async () => {
  const s = await loaded(project({ ".kamal/secrets": "SECRET1=ABC\nSECRET2=${SECRET1}DEF\n" }));
  expect(printSecrets(s)).toBe("SECRET1=ABC\nSECRET2=ABCDEF");
});

test("a failing $(...) is a ConfigError naming the file, line, key, command, exit code and stderr", async () => {
  const dir = project({ ".kamal/secrets": "OK=1\n\nDB_PASSWORD=$(op read op://vault/db/$ITEM)\n" });
  const error = await store(dir, { env: { PATH: "/usr/bin:/bin", ITEM: "password" }, shell: async () => ({
    stdout: "", stderr: "some noise\n[ERROR] 2024/01/01 account is not signed in\n", code: 1,
  }) }).load().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).exitCode).toBe(2);
  expect((error as ConfigError).message).toBe(
    ".kamal/secrets:3:1: DB_PASSWORD: $(op read op://vault/db/$ITEM) exited 1: some noise\n[ERROR] 2024/01/01 account is not signed in\n" +
      "  fix: run the command in a shell to see why it fails and fix it (Kamal would have used whatever it printed)",
  );
});

test("a command that cannot be found fails the load too", async () => {
  const error = await store(project({ ".kamal/secrets": "X=$(no-such-command-here)" })).load().catch((e: unknown) => e);
  expect((error as ConfigError).issues).toMatchObject([{ file: ".kamal/secrets", path: "X", line: 1, message: expect.stringMatching(/^\$\(no-such-command-here\) exited 127: /) }]);
});

test("$(kamal secrets fetch ...) and extract run in-process, without a kamal binary", async () => {
  const dir = project({ ".kamal/secrets": [
    "SECRETS=$(kamal secrets fetch --adapter test --account acct --from vault FOO BAR)",
    "FOO=$(kamal secrets extract FOO $SECRETS)",
    "BAR=$(sextant secrets extract vault/BAR ${SECRETS})",
  ].join("\n") });
  let spawned = 0;
  const s = await loaded(dir, { env: {}, shell: (command, o) => ((spawned += 1), shellCapture(command, o)) });
  expect([s.get("SECRETS").reveal(), s.get("FOO").reveal(), s.get("BAR").reveal(), spawned]).toEqual([
    String.raw`\{\"vault/FOO\":\"OOF/tluav\",\"vault/BAR\":\"RAB/tluav\"\}`, "OOF/tluav", "RAB/tluav", 0,
  ]);
});

test("a fetched password with a $word loses it, as in Kamal, and the store warns", async () => {
  const dir = project({ ".kamal/secrets": [
    "SECRETS=$(kamal secrets fetch -a test --account acct DROW\\$SSAP)",
    "PASSWORD=$(kamal secrets extract DROW\\$SSAP $SECRETS)",
  ].join("\n") });
  const warnings: string[] = [];
  const s = await loaded(dir, { env: {}, warn: (w) => warnings.push(w) });
  expect(s.get("PASSWORD").reveal()).toBe("PASS");
  expect(warnings).toEqual([
    ".kamal/secrets:2:1: PASSWORD: the output of $(kamal secrets extract DROW\\$SSAP $SECRETS) contains a `$NAME` that was then " +
      "expanded as a variable, as Kamal 2.12 does (dotenv 3.2.0), so the value is not what the command printed\n" +
      "  fix: if the `$` belongs to the secret, export the secret before running sextant and write PASSWORD=$VARIABLE " +
      "(a value taken from the environment is not expanded again), or make the command print each `$` as `\\$`",
  ]);
});

test("escaped parentheses in an inline command reach extract unescaped", async () => {
  const dir = project({ ".kamal/secrets": String.raw`KEY1=$(kamal secrets extract KEY1 \\{\\\"KEY1\\\":\\\"pass\\\)word\\\"\\})` });
  expect(await reveal(dir, "KEY1")).toBe("pass)word");
});

test("an inline command that fails is a ConfigError with the adapter's message and fix", async () => {
  const dir = project({ ".kamal/secrets": "SECRETS=$(kamal secrets fetch --adapter 1password --account acct --from v/i A)\nA=$(kamal secrets extract A $SECRETS)" });
  const error = await store(dir, { env: { PATH: join(dir, "nothing-here") } }).load().catch((e: unknown) => e);
  expect((error as ConfigError).message).toBe(
    ".kamal/secrets:1:1: SECRETS: $(kamal secrets fetch --adapter 1password --account acct --from v/i A): 1Password CLI is not installed\n" +
      "  fix: install the 1Password CLI (`op`): https://developer.1password.com/docs/cli/get-started/",
  );
});

test("inline extract of a missing key, an unknown adapter and an unknown subcommand are ConfigErrors", async () => {
  const failure = async (line: string) => ((await store(project({ ".kamal/secrets": line }), { env: {} }).load().catch((e: unknown) => e)) as ConfigError).issues[0]?.message;
  expect(await failure(`A=$(kamal secrets extract NOPE '{"a/b":"c"}')`)).toBe(`$(kamal secrets extract NOPE '{"a/b":"c"}'): Could not find secret NOPE`);
  expect(await failure("A=$(kamal secrets fetch -a vaultx X)")).toBe("$(kamal secrets fetch -a vaultx X): Unknown secrets adapter: vaultx");
  expect(await failure("A=$(kamal secrets print)")).toBe(
    "$(kamal secrets print): only `secrets fetch` and `secrets extract` can run inside a secrets file, not `secrets print`",
  );
  expect(await failure("A=$(kamal secrets fetch -a test X)")).toBe("$(kamal secrets fetch -a test X): No value provided for required options '--account'");
  expect(await failure(`A=$(kamal secrets extract X "unclosed)`)).toBe(`$(kamal secrets extract X "unclosed): Unmatched quote at 24: ..."`);
});

test("get() before load() is a bug, not a user error", () => {
  expect(() => store(project()).get("X")).toThrow("SecretStore used before load()");
});
