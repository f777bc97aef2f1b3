import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";

// A dynamically linked binary goes into a FROM-scratch image with every library ldd lists, each at the same
// path it has on this machine, so the image's loader finds them.

/** Absolute paths of the shared libraries (and loader) `ldd` lists for a binary. */
async function lddLibraries(binary: string): Promise<string[]> {
  const { stdout } = await execa("ldd", [binary]);
  return [...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] as string);
}

/** Copies `binary` and its libraries under `rootfs`, keeping their paths. */
export async function copyWithLibraries(binary: string, rootfs: string): Promise<void> {
  for (const file of [binary, ...(await lddLibraries(binary))]) {
    const dest = path.join(rootfs, file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(fs.realpathSync(file), dest);
    fs.chmodSync(dest, 0o755);
  }
}
