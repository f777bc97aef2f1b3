// The package as users get it: packed with `npm pack`, installed from the tarball into a fresh npm project (npm
// fetches ssh2 from the registry), then run through npx and imported. The build goes into a copy of the checkout,
// never into the shared dist/.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cleanEnv, ROOT } from "../cli/support.ts";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const NOT_PACKED = new Set(["node_modules", "dist", ".git", ".lab", "coverage"]);

let work: string;
let project: string;
let packed: string[];

type Ran = { status: number | null; stdout: string; stderr: string };

// Asynchronous, so vitest's worker stays responsive during installs that take a while on a busy machine.
function sh(command: string, args: readonly string[], cwd: string): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

async function ok(ran: Promise<Ran>): Promise<string> {
  const result = await ran;
  if (result.status !== 0) throw new Error(`exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "sextant-package-"));
  const checkout = join(work, "checkout");
  cpSync(ROOT, checkout, { recursive: true, filter: (path) => !NOT_PACKED.has(relative(ROOT, path)) });
  // The warm-up run of the build resolves the external ssh2 from here, as test/cli/support.ts does.
  symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
  await ok(sh(process.execPath, [join(ROOT, "scripts/build.mjs"), join(checkout, "dist")], ROOT));
  const [tarball] = JSON.parse(await ok(sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], checkout))) as {
    filename: string;
    files: { path: string }[];
  }[];
  packed = tarball!.files.map((f) => f.path).sort();

  project = join(work, "app");
  cpSync(join(ROOT, "fixtures/deploy/single-role"), project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  await ok(sh("npm", ["install", join(work, tarball!.filename), "--no-audit", "--no-fund"], project));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// Each test runs npx or node on a shared, busy machine.
describe(`the ${pkg.name} package`, { timeout: 120_000 }, () => {
  test("ships the bundles, the docs with the JSON Schema, the README and the licence, nothing else", () => {
    expect(packed.filter((path) => path.startsWith("dist/")).map((path) => path.replace(/^dist\/cli-.*\.cache$/, "dist/cli-<hash>.cache"))).toEqual([
      "dist/api.cjs",
      "dist/api.d.cts",
      "dist/cli-<hash>.cache",
      "dist/cli.cjs",
      "dist/sextant.cjs",
      "dist/yaml-worker.cjs",
    ]);
    expect(packed).toContain("docs/deploy.schema.json");
    expect(packed).toContain("docs/api.md");
    expect(packed.filter((path) => !/^(dist|docs)\/[^/]+$/.test(path))).toEqual(["LICENSE", "README.md", "package.json"]);
  });

  test("installs ssh2 as its only runtime dependency: the rest is bundled", async () => {
    const installed = JSON.parse(await ok(sh("npm", ["ls", "--all", "--json"], project))) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(installed.dependencies[pkg.name]?.dependencies ?? {})).toEqual(["ssh2"]);
  });

  test("runs as `npx sextant`", async () => {
    const help = await sh("npx", ["sextant", "--help"], project);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sextant /);
  });

  test.each(["kamal", pkg.name])("runs as `npx %s`", async (bin) => {
    const version = await sh("npx", [bin, "version"], project);
    expect(version.status).toBe(0);
    expect(version.stdout).toContain(pkg.version);
  });

  test("stops at once on native Windows, pointing to WSL, with exit 2", async () => {
    const preload = join(work, "pretend-windows.cjs");
    writeFileSync(preload, 'Object.defineProperty(process, "platform", { value: "win32" });\n');
    const run = await sh(process.execPath, ["--require", preload, join(project, "node_modules/.bin/sextant"), "deploy"], project);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "✗ sextant does not run on native Windows: it needs a POSIX shell (/bin/sh) and a Unix SSH agent socket\n" +
        "  fix: run it inside WSL (Windows Subsystem for Linux): https://learn.microsoft.com/windows/wsl/install\n",
    });
  });

  test("is a Node API that import() and require() load, writing nothing to the terminal", async () => {
    // 1,000 levels of lists: read on the YAML worker thread, dist/yaml-worker.cjs.
    const deep = readFileSync(join(project, "config/deploy.yml"), "utf8") + `x-deep: ${"[".repeat(1000)}${"]".repeat(1000)}\n`;
    mkdirSync(join(project, "deep/config"), { recursive: true });
    writeFileSync(join(project, "deep/config/deploy.yml"), deep);
    const script = `
      const api = await import(${JSON.stringify(pkg.name)});
      const required = (await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(pkg.name)});
      const loaded = await api.loadConfig({ version: "v1" });
      const deep = await api.loadConfig({ cwd: "deep", version: "v1" });
      const ran = await api.run(["version"]);
      process.stdout.write(JSON.stringify({
        exports: Object.keys(api).sort(),
        required: Object.keys(required).sort(),
        schema: api.schemaPath === (await import("node:module")).createRequire(import.meta.url).resolve(${JSON.stringify(`${pkg.name}/deploy.schema.json`)}),
        service: loaded.ok && loaded.config.service_with_version,
        deep: deep.ok && deep.config.service_with_version,
        ran: { exitCode: ran.exitCode, results: ran.events.filter((e) => e.type === "result").map((e) => e.text) },
      }));
    `;
    const result = await sh(process.execPath, ["--input-type=module", "-e", script], project);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      exports: ["default", "loadConfig", "run", "schemaPath"],
      required: ["loadConfig", "run", "schemaPath"],
      schema: true,
      service: "blog-v1",
      deep: "blog-v1",
      ran: { exitCode: 0, results: [pkg.version] },
    });
  });

  test("types its API for TypeScript projects", async () => {
    writeFileSync(
      join(project, "check.mts"),
      `import { loadConfig, run, type Event, type Issue } from ${JSON.stringify(pkg.name)};
const loaded = await loadConfig({ cwd: "." });
const issues: readonly Issue[] = loaded.ok ? [] : loaded.issues;
const { exitCode, events } = await run(["deploy", "--dry-run"]);
const planned: string[] = events.flatMap((e: Event) => (e.type === "planned" ? [e.line] : []));
console.log(issues, exitCode, planned);
`,
    );
    const tsc = await sh(process.execPath, [
      join(ROOT, "node_modules/typescript/bin/tsc"),
      "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--typeRoots", join(ROOT, "node_modules/@types"), "--types", "node",
      "check.mts",
    ], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });
});
