import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { abbreviatedVersion, latestTag, resolveVersion } from "../../src/config/version.ts";
import { SextantError } from "../../src/errors.ts";
import { shellCapture } from "../../src/exec/local.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-version-"));
  dirs.push(dir);
  return dir;
}

const gitEnv = {
  PATH: process.env.PATH,
  HOME: "/nonexistent",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com",
};

function repoWithCommit(): { dir: string; sha: string } {
  const dir = tempDir();
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: gitEnv, encoding: "utf8" }).trim();
  git("init", "-q");
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
  git("add", "Dockerfile");
  git("commit", "-q", "-m", "first");
  return { dir, sha: git("rev-parse", "HEAD") };
}

const inputs = (cwd: string, over: Partial<Parameters<typeof resolveVersion>[0]> = {}) => ({
  cwd, env: gitEnv, shell: shellCapture, buildsWorkingTree: false, randomHex: () => "0123456789abcdef", ...over,
});

describe("resolveVersion", () => {
  test("--version wins over VERSION and git", async () => {
    expect(await resolveVersion(inputs("/nonexistent", { declared: "v42", env: { VERSION: "env" } }))).toBe("v42");
  });

  test("an empty --version is ignored, as in Kamal", async () => {
    expect(await resolveVersion(inputs("/nonexistent", { declared: "", env: { VERSION: "env" } }))).toBe("env");
  });

  test("VERSION wins over git", async () => {
    expect(await resolveVersion(inputs("/nonexistent", { env: { VERSION: "from-env" } }))).toBe("from-env");
  });

  test.each([
    ["--version", { declared: "v1;reboot" }],
    ["VERSION", { env: { VERSION: "$(id)" } }],
    ["--version", { declared: "-x" }],
    ["--version", { declared: "a".repeat(129) }],
  ])("%s that is not an image tag is a usage error", async (source, over) => {
    const error = await resolveVersion(inputs("/nonexistent", over)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SextantError);
    expect((error as SextantError).exitCode).toBe(2);
    expect((error as SextantError).message).toMatch(new RegExp(`^${source.replace("-", "\\-")} ".*" is not a version tag$`));
  });

  test("the message for a bad version names it and says the form", async () => {
    const error = (await resolveVersion(inputs("/nonexistent", { declared: "v1 && id" })).then(() => undefined, (e: unknown) => e)) as SextantError;
    expect([error.message, error.hint]).toMatchInlineSnapshot(`
      [
        "--version "v1 && id" is not a version tag",
        "a version is an image tag: up to 128 letters, digits, \`_\`, \`.\` and \`-\`, not starting with \`.\` or \`-\`",
      ]
    `);
  });

  test("image tags of every shape Docker accepts are versions", async () => {
    for (const tag of ["v1", "1.2.3-rc.1", "_x", "a".repeat(128), "0123abc_uncommitted_0123456789abcdef"])
      expect(await resolveVersion(inputs("/nonexistent", { declared: tag }))).toBe(tag);
  });

  test("git HEAD of a clean repository", async () => {
    const { dir, sha } = repoWithCommit();
    expect(await resolveVersion(inputs(dir, { buildsWorkingTree: true }))).toBe(sha);
  });

  test("a dirty tree built from the working directory gets the uncommitted suffix", async () => {
    const { dir, sha } = repoWithCommit();
    writeFileSync(join(dir, "Dockerfile"), "FROM busybox\n");
    expect(await resolveVersion(inputs(dir, { buildsWorkingTree: true }))).toBe(`${sha}_uncommitted_0123456789abcdef`);
  });

  test("a dirty tree built from a clean clone keeps the plain sha", async () => {
    const { dir, sha } = repoWithCommit();
    writeFileSync(join(dir, "untracked.txt"), "x\n");
    expect(await resolveVersion(inputs(dir))).toBe(sha);
  });

  test("the default random suffix is 16 hex characters", async () => {
    const { dir } = repoWithCommit();
    writeFileSync(join(dir, "untracked.txt"), "x\n");
    const { randomHex: _, ...rest } = inputs(dir, { buildsWorkingTree: true });
    expect(await resolveVersion(rest)).toMatch(/^[0-9a-f]{40}_uncommitted_[0-9a-f]{16}$/);
  });

  test("outside a git repository: Kamal's message and a fix", async () => {
    const dir = tempDir();
    const error = await resolveVersion(inputs(dir, { env: { ...gitEnv, GIT_CEILING_DIRECTORIES: tmpdir() } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SextantError);
    expect((error as SextantError).message).toBe(`Can't use commit hash as version, no git repository found in ${dir}`);
    expect((error as SextantError).hint).toBe("pass --version VERSION or set VERSION, or deploy from a git repository with at least one commit");
  });

  test("a repository without commits says so", async () => {
    const dir = tempDir();
    execFileSync("git", ["init", "-q"], { cwd: dir, env: gitEnv });
    await expect(resolveVersion(inputs(dir))).rejects.toThrow(`Can't use commit hash as version, the git repository in ${dir} has no commits yet`);
  });
});

test("latestTag", () => {
  expect(latestTag(undefined)).toBe("latest");
  expect(latestTag("staging")).toBe("latest-staging");
});

test("abbreviatedVersion keeps 7 characters unless the version has an underscore", () => {
  expect(abbreviatedVersion("4f2c1e9a0b1c2d3e")).toBe("4f2c1e9");
  expect(abbreviatedVersion("abc_uncommitted_0123")).toBe("abc_uncommitted_0123");
  expect(abbreviatedVersion("v1")).toBe("v1");
});
