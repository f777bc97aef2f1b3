import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const app = () =>
  appDir({
    "config/deploy.yml": "service: app\nimage: dhh/app\nservers: [10.0.0.1, 10.0.0.2]\nregistry:\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n",
  });
const run = (args: string[]) => runCli(bin, args, { cwd: app(), env: cleanEnv({ VERSION: "999" }) });

describe("sextant proxy reboot", () => {
  test("asks first; with no terminal to ask, the answer is no and nothing runs", async () => {
    const { code, stdout, stderr } = await run(["proxy", "reboot", "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain("Aborted");
  }, 30_000);

  test("-y reboots each proxy host: stop, prune the container, run a new one", async () => {
    const { code, stdout } = await run(["proxy", "reboot", "-y", "--dry-run"]);
    expect(code).toBe(0);
    for (const host of ["10.0.0.1", "10.0.0.2"]) {
      const lines = stdout.split("\n").filter((l) => l.startsWith(`${host}\t`)).map((l) => l.slice(host.length + 1));
      const stop = lines.indexOf("docker container stop kamal-proxy");
      const prune = lines.indexOf("docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy");
      const runAt = lines.findIndex((l) => l.includes("xargs docker run --name kamal-proxy"));
      expect(stop).toBeGreaterThan(-1);
      expect(prune).toBeGreaterThan(stop);
      expect(runAt).toBeGreaterThan(prune);
    }
  }, 30_000);
});
