// The installed executable (dist/sextant.cjs): runs the CLI bundle (dist/cli.cjs) through a V8 code cache.
//
// Most of a short command's time over bare node is V8 parsing and compiling the bundle, and Node 20 has no
// compile cache of its own (module.enableCompileCache is Node 22). So this compiles the bundle with the bytecode
// a previous run left (the build leaves one, made by a warm-up run), and writes a fresh cache when there was
// none or V8 refused it (another node version, other V8 flags). The cache lives next to the bundle, never in a
// shared directory: cached bytecode runs as code, so it gets the same trust as the bundle itself.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, wrap } from "node:module";
import { join } from "node:path";
import { Script } from "node:vm";

/** The bundle's content hash, set by scripts/build.mjs: V8 checks a cache against the source's length only. */
declare const SEXTANT_BUNDLE_HASH: string;

const bundle = join(__dirname, "cli.cjs");
const cacheFile = join(__dirname, `cli-${SEXTANT_BUNDLE_HASH}-v8-${process.versions.v8}.cache`);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache yet: this run compiles from source and leaves one
}

// latin1: the build makes the bundle pure ASCII, which reads several times faster than decoding UTF-8.
const script = new Script(wrap(readFileSync(bundle, "latin1")), { filename: bundle, cachedData });
if (cachedData === undefined || script.cachedDataRejected === true) {
  // At exit, so the cache holds every function this run compiled, not only the top level.
  process.once("exit", () => {
    const temporary = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // a read-only install: every run compiles from source, which is slower but correct
      rmSync(temporary, { force: true });
    }
  });
}

const cjsModule = { exports: {} };
const run = script.runInThisContext() as (...args: unknown[]) => void;
run.call(cjsModule.exports, cjsModule.exports, createRequire(bundle), cjsModule, bundle, __dirname);
