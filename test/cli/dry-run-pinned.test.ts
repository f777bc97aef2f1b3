// The dry run of each top-level flow on a realistic fixture, pinned line by line. A change to what sextant would
// send shows up here as a diff a reviewer can read. Regenerate with SEXTANT_UPDATE_PINNED=1 after checking it.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli, cleanEnv, ROOT, runCli } from "./support.ts";

let bin = "";
let cleanup = () => {};
let app = "";
beforeAll(() => {
  ({ bin, cleanup } = buildCli());
  // A fixed directory: the build clone's path is derived from the working directory, as in Kamal, and is pinned too.
  app = join(tmpdir(), "sextant-pinned-tracker");
  rmSync(app, { recursive: true, force: true });
  cpSync(join(ROOT, "fixtures/deploy/with-accessories"), app, { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: app });
  execFileSync("git", ["config", "user.name", "Pat Deployer"], { cwd: app });
  execFileSync("git", ["config", "user.email", "pat@example.com"], { cwd: app });
}, 60_000);
afterAll(() => cleanup());

const CASES: Record<string, string[]> = {
  deploy: ["deploy"],
  setup: ["setup"],
  rollback: ["rollback", "0a1b2c3"],
  "app-boot": ["app", "boot", "--version", "4f2c1e9"],
  "accessory-boot-all": ["accessory", "boot", "all"],
  remove: ["remove", "-y"],
};

describe("dry runs on fixtures/deploy/with-accessories", () => {
  for (const [name, args] of Object.entries(CASES)) {
    test(`sextant ${args.join(" ")} --dry-run`, async () => {
      const env = cleanEnv({ VERSION: "4f2c1e9", SOURCE_DATE_EPOCH: "1767225600", HOME: app, GIT_CONFIG_GLOBAL: "/dev/null" });
      const { code, stdout, stderr } = await runCli(bin, [...args, "--dry-run"], { cwd: app, env });
      expect(stderr).not.toContain("✗");
      expect(code).toBe(0);
      const pinned = join(ROOT, "test/cli/dry-run", `${name}.txt`);
      if (process.env.SEXTANT_UPDATE_PINNED === "1" || !existsSync(pinned)) writeFileSync(pinned, stdout);
      expect(stdout).toBe(readFileSync(pinned, "utf8"));
    });
  }
});
