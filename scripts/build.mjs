// Bundles the CLI with esbuild. Startup speed matters (`sextant version` should cost little more than
// `node -e 0`), so the bundle is split: the entry chunk holds commander and the reporters, and every command
// loads its heavy modules (zod schemas, yaml, ssh2) with a dynamic import() that becomes its own chunk.
import { build } from "esbuild";
import { readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
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

/** Builds `<outdir>/sextant.js` (the bin) and its chunks in `<outdir>/chunks/`. */
export async function buildCli(outdir = "dist") {
  const out = resolve(root, outdir);
  // Chunk names carry content hashes; drop the previous build's so dist/ holds only what the bin imports.
  rmSync(resolve(out, "chunks"), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { sextant: "bin/sextant.ts" },
    outdir: out,
    entryNames: "[name]",
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    plugins: [yamlEsm],
    // `.mjs` tells Node a file is ESM by its name alone; for `.js` it looks up the package scope of each of the
    // dozens of chunks a deploy loads. The bin keeps the name package.json gives it (renamed below).
    outExtension: { ".js": ".mjs" },
    define: { SEXTANT_VERSION: JSON.stringify(pkg.version) },
    // ssh2 loads optional native crypto bindings with require(); keep it external so those stay optional.
    external: ["ssh2", "cpu-features"],
    banner: {
      js: [
        "#!/usr/bin/env node",
        "import { createRequire as __sextantCreateRequire } from 'node:module';",
        "const require = __sextantCreateRequire(import.meta.url);",
      ].join("\n"),
    },
  });
  renameSync(resolve(out, "sextant.mjs"), resolve(out, "sextant.js"));
}

// `node scripts/build.mjs [outdir]`; tests build into a temporary directory of their own.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli(process.argv[2]);
