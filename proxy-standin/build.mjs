// Bundles the stand-in into one CommonJS file that runs on a bare `node` (no node_modules, no package.json).
// Usage: node proxy-standin/build.mjs [outfile]   (default: proxy-standin/dist/kamal-proxy.js)
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here("./src/main.ts")],
  outfile: process.argv[2] ?? here("./dist/kamal-proxy.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
