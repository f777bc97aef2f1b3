// The image build context (proxy-standin/image/build-context.ts). Docker is not available to unit tests, so
// the second test runs the context's root filesystem the way a container would: its own network namespace
// (where binding port 80 as a normal user is allowed, as Docker arranges), chroot, and uid 1000.
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PROXY_IMAGE_TAG, writeProxyImageContext } from "../image/build-context.ts";

let context: string;
const made: string[] = [];

beforeAll(async () => {
  context = mkdtempSync(join(tmpdir(), "kp-image-"));
  made.push(context);
  await writeProxyImageContext(context);
}, 30_000);
// node alone is about 100 MB, so the copies are not left behind.
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("image build context", () => {
  test("describes a scratch image shaped like basecamp/kamal-proxy's", () => {
    expect(PROXY_IMAGE_TAG).toBe("basecamp/kamal-proxy:v0.9.2");
    expect(readFileSync(join(context, "Dockerfile"), "utf8")).toBe(
      [
        "FROM scratch",
        "COPY rootfs/ /",
        "COPY --chown=1000:1000 owned/ /",
        "ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/kamal-proxy",
        "LABEL org.opencontainers.image.title=kamal-proxy",
        "EXPOSE 80 443",
        "USER kamal-proxy:kamal-proxy",
        "WORKDIR /home/kamal-proxy",
        'CMD ["kamal-proxy", "run"]',
        "",
      ].join("\n"),
    );
    expect(readdirSync(join(context, "owned", "home", "kamal-proxy", ".config"))).toEqual(["kamal-proxy"]);
    expect(statSync(join(context, "owned", "tmp")).mode & 0o7777).toBe(0o1777);
  });

  test("carries node with every library ldd lists, at the same paths", () => {
    const listing = execFileSync("ldd", [process.execPath], { encoding: "utf8" });
    const libraries = [...listing.matchAll(/(\/\S+) \(0x/g)].map((match) => match[1] ?? "");
    expect(libraries.length).toBeGreaterThan(2);
    for (const library of libraries) expect(statSync(join(context, "rootfs", library)).isFile(), library).toBe(true);
  });

  test.skipIf(process.getuid?.() !== 0)("runs `kamal-proxy run` as uid 1000 on port 80, and its CLI from PATH", async () => {
    const root = mkdtempSync(join(tmpdir(), "kp-root-"));
    made.push(root);
    chmodSync(root, 0o755); // the image's / must be traversable by its user
    cpSync(join(context, "rootfs"), root, { recursive: true, verbatimSymlinks: true });
    cpSync(join(context, "owned"), root, { recursive: true });
    for (const dir of ["home/kamal-proxy", "home/kamal-proxy/.config", "home/kamal-proxy/.config/kamal-proxy", "tmp"]) chownSync(join(root, dir), 1000, 1000);
    for (const dir of ["proc", "dev"]) mkdirSync(join(root, dir));
    const inImage = `chroot --userspec=1000:1000 ${root} /bin/busybox env -i HOME=/home/kamal-proxy PATH=/usr/local/bin:/usr/bin:/bin`;
    const script = `
      set -e
      ip link set lo up
      sysctl -qw net.ipv4.ip_unprivileged_port_start=0
      mount -t proc proc ${root}/proc
      ${inImage} kamal-proxy run > ${root}/run.log 2>&1 &
      PROXY=$!
      for i in $(seq 50); do [ -S ${root}/tmp/kamal-proxy.sock ] && break; sleep 0.1; done
      ${inImage} kamal-proxy list > ${root}/list.out
      ${inImage} /bin/busybox wget -q -O - http://127.0.0.1:80/ 2>&1 || true
      kill $PROXY
      wait $PROXY
    `;
    const output = await new Promise<string>((resolve, reject) =>
      execFile("unshare", ["--net", "--mount", "--fork", "sh", "-c", script], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout))),
    );
    expect(output).toContain("404");
    const logs = readFileSync(join(root, "run.log"), "utf8");
    expect(logs).toContain('"msg":"Server started","http":80,"https":443}');
    expect(logs).toContain('"msg":"Server stopped"');
    expect(readFileSync(join(root, "list.out"), "utf8")).toContain("\x1b[3;94mService\x1b[0m");
    expect(statSync(join(root, "home/kamal-proxy/.config/kamal-proxy")).uid).toBe(1000);
  }, 30_000);
});
