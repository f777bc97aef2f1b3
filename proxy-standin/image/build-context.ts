// A docker build context for the stand-in image: FROM scratch with this machine's node and the libraries it
// links, the bundled stand-in, a `kamal-proxy` executable on PATH, and the user, home, label and ports of
// basecamp/kamal-proxy's own image (reference: kamal-proxy.md §1.1, §1.3, §4.2). No network is needed.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The tag Kamal 2.12 runs by default; the lab tags the stand-in with it so Kamal-shaped run lines work as is. */
export const PROXY_IMAGE_TAG = "basecamp/kamal-proxy:v0.9.2";

// The real image's user (created by useradd); any non-root id works, since the volume inherits ownership.
const UID = 1000;
const HOME = "/home/kamal-proxy";
const BUNDLE = "/usr/local/lib/kamal-proxy/kamal-proxy.js";
// busybox-static gives the image a shell and a few tools, as the real image's Ubuntu has: `sextant canary status`
// reads the saved state with `docker exec kamal-proxy cat ...`, and the rest are for debugging. Only a handful
// of applets are linked, since context hashing reads every link.
const BUSYBOX = "/bin/busybox";
const APPLETS = ["sh", "cat", "ls", "id", "ps", "env", "wget", "sleep", "kill"];

export async function writeProxyImageContext(dir: string): Promise<void> {
  const rootfs = join(dir, "rootfs");
  const owned = join(dir, "owned"); // copied with --chown so the proxy's user owns its home and /tmp
  const node = realpathSync(process.execPath);

  for (const file of [node, ...sharedLibraries(node)]) copyInto(rootfs, file, file);
  execFileSync(process.execPath, [fileURLToPath(new URL("../build.mjs", import.meta.url)), join(rootfs, BUNDLE)]);
  // The kernel runs this through its shebang, so `docker exec kamal-proxy kamal-proxy ...` needs no shell.
  writeInto(rootfs, "/usr/local/bin/kamal-proxy", `#!${node}\nrequire(${JSON.stringify(BUNDLE)});\n`, 0o755);
  if (existsSync(BUSYBOX)) {
    copyInto(rootfs, BUSYBOX, "/bin/busybox");
    for (const applet of APPLETS) symlinkSync("busybox", join(rootfs, "bin", applet));
  }
  writeInto(rootfs, "/etc/passwd", `root:x:0:0:root:/root:/bin/sh\nkamal-proxy:x:${UID}:${UID}::${HOME}:/bin/sh\n`, 0o644);
  writeInto(rootfs, "/etc/group", `root:x:0:\nkamal-proxy:x:${UID}:\n`, 0o644);
  mkdirSync(join(owned, HOME, ".config", "kamal-proxy"), { recursive: true, mode: 0o755 });
  mkdirSync(join(owned, "tmp"), { recursive: true });
  chmodSync(join(owned, "tmp"), 0o1777);

  writeFileSync(
    join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "COPY rootfs/ /",
      `COPY --chown=${UID}:${UID} owned/ /`,
      `ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=${HOME}`,
      "LABEL org.opencontainers.image.title=kamal-proxy",
      "EXPOSE 80 443",
      "USER kamal-proxy:kamal-proxy",
      `WORKDIR ${HOME}`,
      'CMD ["kamal-proxy", "run"]',
      "",
    ].join("\n"),
  );
}

/** The absolute paths `ldd` lists (libraries and the loader), which the binary expects at those paths. */
function sharedLibraries(binary: string): string[] {
  const listing = execFileSync("ldd", [binary], { encoding: "utf8" });
  return [...listing.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((match) => match[1] ?? "");
}

function copyInto(rootfs: string, source: string, path: string): void {
  const target = join(rootfs, path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(source), target);
  chmodSync(target, 0o755);
}

function writeInto(rootfs: string, path: string, text: string, mode: number): void {
  const target = join(rootfs, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text, { mode });
}
