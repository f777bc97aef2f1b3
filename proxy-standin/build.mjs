// Bundles the stand-in into one CommonJS file that runs on a bare `node` (no node_modules needed).
// Usage: node proxy-standin/build.mjs [outfile]   (default: proxy-standin/dist/kamal-proxy.js)
import { build } from "esbuild";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const outfile = process.argv[2] ?? fileURLToPath(new URL("./dist/kamal-proxy.js", import.meta.url));

await build({
  entryPoints: [fileURLToPath(new URL("./src/main.ts", import.meta.url))],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
// The repository's package.json says "type": "module"; this keeps the CommonJS bundle runnable in place.
writeFileSync(join(dirname(outfile), "package.json"), '{ "type": "commonjs" }\n');
