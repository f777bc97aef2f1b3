// dist/sextant.cjs runs the bundle through a V8 code cache (bin/launcher.ts). A cache only ever speeds a run up:
// missing, refused or garbage, the command behaves the same and a good cache is back afterwards.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { appDir, buildOwnCli, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
// Its own build: these tests remove and damage the code cache beside the bin.
beforeAll(() => ({ bin, cleanup } = buildOwnCli()), 60_000);
afterAll(() => cleanup());

const caches = () => readdirSync(dirname(bin)).filter((f) => f.endsWith(".cache"));
const cachePath = () => join(dirname(bin), caches()[0] ?? "missing");
const version = () => runCli(bin, ["version"], { cwd: appDir() });

describe("the code cache", () => {
  test("the build leaves one, named after the bundle's hash and this V8", () => {
    const bundleHash = createHash("sha256").update(readFileSync(join(dirname(bin), "cli.cjs"))).digest("hex").slice(0, 16);
    expect(caches()).toEqual([`cli-${bundleHash}-v8-${process.versions.v8}.cache`]);
    // made by a warm-up deploy, so it holds far more than the launcher's own top level
    expect(statSync(cachePath()).size).toBeGreaterThan(200_000);
  });

  test("a run that finds none writes it again", async () => {
    const name = caches()[0];
    rmSync(cachePath());
    expect(await version()).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "compatible with Kamal 2.12.0\n" });
    expect(caches()).toEqual([name]);
  });

  test("a cache V8 refuses is replaced, and the run is unaffected", async () => {
    const path = cachePath();
    writeFileSync(path, "not bytecode");
    expect(await version()).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "compatible with Kamal 2.12.0\n" });
    expect(statSync(path).size).toBeGreaterThan(1_000);
    expect(caches()).toHaveLength(1); // no temporary file left behind
  });

  test("a cache that can be neither read nor written costs nothing but speed", async () => {
    // A directory where the cache belongs: reading it fails, and so does renaming a new cache over it.
    const path = cachePath();
    rmSync(path);
    mkdirSync(path);
    try {
      expect(await version()).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "compatible with Kamal 2.12.0\n" });
      expect(readdirSync(dirname(bin)).filter((f) => f.includes(".cache."))).toEqual([]);
    } finally {
      rmSync(path, { recursive: true });
    }
  });
});
