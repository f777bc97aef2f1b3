import fs from "node:fs";
import path from "node:path";
import { copyWithLibraries } from "./libraries.ts";

// Used only while proxy-standin/ has a bundle (dist/kamal-proxy.js) but not yet its own image context writer:
// this machine's node and its libraries FROM scratch, with busybox for the launcher script.

export async function writeFallbackProxyContext(dir: string, bundle: string): Promise<void> {
  const rootfs = path.join(dir, "rootfs");
  const node = fs.realpathSync(process.execPath);
  await copyWithLibraries(node, rootfs);
  fs.mkdirSync(path.join(rootfs, "bin"), { recursive: true });
  fs.copyFileSync("/bin/busybox", path.join(rootfs, "bin", "busybox"));
  fs.symlinkSync("busybox", path.join(rootfs, "bin", "sh"));
  fs.mkdirSync(path.join(rootfs, "usr", "local", "bin"), { recursive: true });
  fs.mkdirSync(path.join(rootfs, "usr", "local", "lib"), { recursive: true });
  fs.copyFileSync(bundle, path.join(rootfs, "usr", "local", "lib", "kamal-proxy.js"));
  fs.writeFileSync(
    path.join(rootfs, "usr", "local", "bin", "kamal-proxy"),
    `#!/bin/sh\nexec ${node} /usr/local/lib/kamal-proxy.js "$@"\n`,
    { mode: 0o755 },
  );
  for (const sub of ["home/kamal-proxy/.config/kamal-proxy", "tmp"]) fs.mkdirSync(path.join(rootfs, sub), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "COPY rootfs/ /",
      "ENV PATH=/usr/local/bin:/bin HOME=/home/kamal-proxy",
      "LABEL org.opencontainers.image.title=kamal-proxy",
      "EXPOSE 80 443",
      'CMD ["kamal-proxy", "run"]',
      "",
    ].join("\n"),
  );
}
