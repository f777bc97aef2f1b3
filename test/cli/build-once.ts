// Global setup of both test projects: one empty directory per test run that the first test file needing the
// built CLI builds into (support.ts, buildCli), so forty files share one build instead of making forty. Workers
// inherit the variable, as they start after this runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SHARED_BUILD_VARIABLE = "SEXTANT_TEST_CLI_BUILD_DIR";

export default function provideSharedBuildDir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cli-shared-"));
  process.env[SHARED_BUILD_VARIABLE] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
