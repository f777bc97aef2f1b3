// `build dev` on the lab's build daemon (no buildx there, so plain `docker build`): the working tree as it is,
// uncommitted changes included, tagged VERSION-dirty and latest-dirty in the daemon's own image store.
import { execa } from "execa";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { sextant, writeApp } from "./deploy-app.ts";
import { builderEnv, currentLab, labSkipped, type Lab } from "./lab/lab.ts";

describe.skipIf(labSkipped())("build dev on the lab's build daemon", () => {
  let lab: Lab;
  let dir: string;
  let build: { bin: string; cleanup: () => void };

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    dir = mkdtempSync(join(tmpdir(), "sextant-build-dev-"));
    await writeApp(lab, dir, { hosts: [lab.hosts[0]?.address ?? ""], appVersion: "dev" });
  });
  afterAll(() => {
    if (!dir) return;
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("builds the uncommitted tree into -dirty tags, without a clone", async () => {
    appendFileSync(join(dir, "app/Dockerfile"), "LABEL dev.marker=uncommitted\n");
    const run = await sextant(lab, dir, ["build", "dev", "--version", "d1"], { bin: build.bin });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("Cloning repo");

    const docker = (...args: string[]) => execa(lab.builder.dockerBin, args, { env: builderEnv(lab) });
    for (const tag of ["d1-dirty", "latest-dirty"]) {
      const label = await docker("image", "inspect", "--format", "{{index .Config.Labels \"dev.marker\"}}", `${lab.registry.name}/sextant-lab/sample:${tag}`);
      expect(label.stdout).toBe("uncommitted");
    }
  });
});
