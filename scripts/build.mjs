// Bundles the CLI with esbuild into two CommonJS files: dist/cli.cjs, the whole program, and dist/sextant.cjs,
// the executable, which runs cli.cjs through a V8 code cache (bin/launcher.ts says why). Dynamic import()s stay
// lazy inside the one bundle (esbuild wraps each module in an init function), so a command still only runs the
// module bodies it needs (zod schemas, yaml, ssh2); the code cache removes the cost of compiling them.
// The Node API is a bundle of its own, dist/api.cjs, with its hand-written types (src/api.d.cts) beside it. Both
// start dist/yaml-worker.cjs for a deploy.yml nested too deep for the main thread's stack (src/config/yaml-off-thread.ts).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/**
 * yaml's `node` export is CommonJS, which esbuild bundles whole (~260 KB parsed by every command that reads the
 * config). Its ESM build is the same code, so esbuild keeps only the parser we call; it differs only in how it logs
 * (console.warn) and decodes !!binary (Uint8Array), and src/config/yaml.ts uses neither: it reads the failsafe node
 * tree and takes warnings from the document.
 */
const yamlEsm = {
  name: "yaml-esm",
  setup(b) {
    const esm = resolve(dirname(createRequire(import.meta.url).resolve("yaml/package.json")), "browser/index.js");
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: esm }));
  },
};

/** src/config/yaml-off-thread.ts starts the worker's bundle, which is beside the bundle that starts it. */
const yamlWorker = { SEXTANT_YAML_WORKER: JSON.stringify("./yaml-worker.cjs") };

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Keeps names for stack traces under -v; drops the whitespace and comments that V8 would otherwise read.
  minifyWhitespace: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};

/** Builds `<outdir>/sextant.cjs` (the bin), `<outdir>/cli.cjs` and the code cache of a warm-up run. */
export async function buildCli(outdir = "dist") {
  const out = resolve(root, outdir);
  // Earlier builds' caches are keyed by their bundle's hash and would never be read again.
  rmSync(out, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: ["bin/sextant.ts"],
    outfile: resolve(out, "cli.cjs"),
    plugins: [yamlEsm],
    // A CommonJS bundle run by vm.Script has no loader for import(); esbuild turns each one into a lazy require.
    supported: { "dynamic-import": false },
    // A CommonJS file has no import.meta; yaml-off-thread.ts finds the worker from it. A getter, so that only a
    // run reading deep YAML pays for the URL.
    banner: { js: 'var __bundleMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
    define: { ...yamlWorker, "import.meta": "__bundleMeta", SEXTANT_VERSION: JSON.stringify(pkg.version) },
    // ssh2 loads optional native crypto bindings with require(); keep it external so those stay optional.
    external: ["ssh2", "cpu-features"],
  });
  await build({
    ...common,
    entryPoints: ["src/config/yaml-worker.ts"],
    outfile: resolve(out, "yaml-worker.cjs"),
    plugins: [yamlEsm],
  });
  const program = readFileSync(resolve(out, "cli.cjs"));
  // The launcher reads the bundle as latin1, which is only right for ASCII; esbuild escapes non-ASCII in strings
  // and identifiers, and dropping whitespace drops the comments that could still hold some.
  const nonAscii = program.findIndex((byte) => byte > 0x7f);
  if (nonAscii !== -1) throw new Error(`cli.cjs has a non-ASCII byte at offset ${nonAscii}: ${program.subarray(nonAscii - 40, nonAscii + 40)}`);
  const hash = createHash("sha256").update(program).digest("hex").slice(0, 16);
  await build({
    ...common,
    entryPoints: ["bin/launcher.ts"],
    outfile: resolve(out, "sextant.cjs"),
    banner: { js: "#!/usr/bin/env node" },
    define: { SEXTANT_BUNDLE_HASH: JSON.stringify(hash) },
  });
  warmUp(resolve(out, "sextant.cjs"));
}

/**
 * Builds `<outdir>/api.cjs`, the package's `exports`, and copies its types beside it. CommonJS, so `require()` and
 * `import()` both load it (Node reads the export names esbuild annotates); its own lazy imports are bundled in.
 */
export async function buildApi(outdir = "dist") {
  const out = resolve(root, outdir);
  await build({
    ...common,
    entryPoints: ["src/api.ts"],
    outfile: resolve(out, "api.cjs"),
    plugins: [yamlEsm],
    // A CommonJS file has no import.meta; src/api.ts needs its own URL, to find the schema (and yaml-off-thread.ts the worker).
    banner: { js: 'var __apiFileUrl = require("node:url").pathToFileURL(__filename).href;' },
    // ssh2 is then required exactly as the CLI requires it.
    supported: { "dynamic-import": false },
    define: { ...yamlWorker, SEXTANT_VERSION: JSON.stringify(pkg.version), "import.meta.url": "__apiFileUrl" },
    external: ["ssh2", "cpu-features"],
  });
  copyFileSync(resolve(root, "src/api.d.cts"), resolve(out, "api.d.cts"));
}

/**
 * Runs a dry-run deploy of a fixture app once, so the launcher leaves a code cache holding what the usual
 * commands compile (config loading, validation, planning, output). Without it, the first run of each install
 * would pay for compiling; with a node whose V8 differs, the first run replaces it.
 */
function warmUp(bin) {
  const app = mkdtempSync(join(tmpdir(), "sextant-warm-up-"));
  try {
    cpSync(resolve(root, "fixtures/deploy/with-accessories"), app, { recursive: true });
    const run = spawnSync(process.execPath, [bin, "deploy", "--dry-run", "--version", "warm-up"], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: app, NO_COLOR: "1", SOURCE_DATE_EPOCH: "0" },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`the warm-up run of ${bin} failed:\n${run.stderr}`);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

// `node scripts/build.mjs [outdir]`; tests build into a temporary directory of their own.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli(process.argv[2]);
  await buildApi(process.argv[2]);
}
