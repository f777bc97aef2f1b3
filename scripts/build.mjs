// Bundles the CLI into one ESM file so startup pays for no module resolution.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

await build({
  entryPoints: ["bin/sextant.ts"],
  outfile: "dist/sextant.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: false,
  sourcemap: false,
  legalComments: "none",
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
