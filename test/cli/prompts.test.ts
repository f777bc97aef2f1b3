// Commands that ask first (remove, proxy reboot, accessory remove...), run as CI runs them: stdin a pipe or
// /dev/null, no terminal. The app's only host is 127.0.0.1 on port 1, where nothing listens, so a run that goes
// ahead shows itself by failing to connect, and nothing is ever touched.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const DEPLOY = "service: app\nimage: dhh/app\nservers: [127.0.0.1]\nssh:\n  port: 1\nregistry:\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n";
const QUESTION = "This will remove all containers and images. Are you sure? [y, N] (N)";

/** `sextant ARGS` in a bash line, so the test can pipe into it or redirect its stdin like a CI script does. */
const sh = (line: (sextant: string) => string) => {
  const dir = appDir({ "config/deploy.yml": DEPLOY });
  return runCli("/dev/null", [], { cwd: dir, env: cleanEnv({ VERSION: "abc", HOME: dir }), shell: line(`"${process.execPath}" "${bin}"`) });
};

describe("a question without a terminal", () => {
  test("a piped y answers it: the question and the answer are in the log, and the run goes ahead", async () => {
    const { code, stdout, stderr } = await sh((s) => `echo y | ${s} remove`);
    expect(stdout).toBe("");
    expect(stderr.split("\n").slice(0, 3)).toEqual([
      `${QUESTION} y`,
      expect.stringMatching(/^▸ Acquiring the deploy lock\.\.\. \+\d+\.\ds$/),
      "✗ [127.0.0.1] could not connect to root@127.0.0.1:1: connection refused",
    ]);
    expect(code).toBe(1);
  });

  test("a piped n is Kamal's no: Aborted, exit 0, nothing sent", async () => {
    const { code, stdout, stderr } = await sh((s) => `echo n | ${s} remove`);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: `${QUESTION} n\nwarning: Aborted\n` });
  });

  test("no answer at all (stdin at its end) stops before touching anything, exit 2, and says to pass -y or --yes", async () => {
    for (const redirect of ["</dev/null", "<&-"]) {
      const { code, stdout, stderr } = await sh((s) => `${s} proxy reboot ${redirect}`);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toMatchInlineSnapshot(`
        "This will cause a brief outage on each host. Are you sure? [y, N] (N) 
        ✗ No answer to "This will cause a brief outage on each host. Are you sure?": stdin is not a terminal and gave no answer
          fix: pass -y (or --yes) to confirm non-interactively, or pipe the answer in (echo y | ...)
        "
      `);
    }
  });

  test("--yes is -y: nothing is asked and the run goes ahead", async () => {
    for (const yes of ["--yes", "-y", "--confirmed"]) {
      const { code, stderr } = await sh((s) => `${s} accessory remove all ${yes} </dev/null`);
      expect(stderr).not.toContain("Are you sure?");
      expect(stderr).toContain("could not connect to root@127.0.0.1:1: connection refused");
      expect(code).toBe(1);
    }
  });

  test("--yes is listed in help next to -y", async () => {
    const { stdout } = await sh((s) => `${s} remove --help`);
    expect(stdout).toMatch(/-y, --confirmed +Proceed without asking for confirmation\n +--yes +Same as -y\n/);
  });

  test("a dry run never asks: it plans the commands as if confirmed, since it sends nothing", async () => {
    const { code, stdout, stderr } = await sh((s) => `${s} remove --dry-run </dev/null`);
    expect(stderr).not.toContain("Are you sure?");
    expect(code).toBe(0);
    expect(stdout).toContain("127.0.0.1\tdocker container stop kamal-proxy\n");
  });
});
