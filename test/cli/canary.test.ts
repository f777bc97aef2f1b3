// `deploy --canary PERCENT` and `canary status|promote|abort` as users run them: the built CLI with --dry-run.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

const app = () =>
  appDir({
    "config/deploy.yml": "service: app\nimage: dhh/app\nservers: [10.0.0.1]\nregistry:\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n",
  });
const run = (args: string[]) => runCli(bin, [...args, "--dry-run"], { cwd: app(), env: cleanEnv({ VERSION: "999" }) });
const sent = (stdout: string) =>
  stdout.split("\n").filter((l) => l.startsWith("10.0.0.1\t")).map((l) => l.slice("10.0.0.1\t".length)).filter((l) => !l.includes("audit.log"));

describe("canary commands, dry run", () => {
  test("deploy --canary boots next to the running version and sets the split, without touching the main target", async () => {
    const { code, stdout } = await run(["deploy", "--canary", "25", "--skip-push"]);
    expect(code).toBe(0);
    const lines = sent(stdout);
    expect(lines.filter((l) => l.includes("kamal-proxy kamal-proxy"))).toEqual([
      'docker exec kamal-proxy kamal-proxy rollout deploy app-web --target="CONTAINER_ID:80" --deploy-timeout="30s" --drain-timeout="30s"',
      "docker exec kamal-proxy kamal-proxy rollout set app-web --percent=25",
    ]);
    expect(lines.find((l) => l.startsWith("docker run"))).toContain('--label sextant.canary="999" dhh/app:999');
  }, 30_000);

  test("promote plans a deploy of the canary's version, then ends the rollout; abort ends it; status only reads", async () => {
    const promote = await run(["canary", "promote"]);
    expect(promote.code).toBe(0);
    expect(promote.stderr).toContain("assumed: the canary runs version 999");
    const lines = sent(promote.stdout);
    expect(lines.findIndex((l) => l === "docker exec kamal-proxy kamal-proxy rollout stop app-web"))
      .toBeGreaterThan(lines.findIndex((l) => l.startsWith("docker exec kamal-proxy kamal-proxy deploy app-web")));
    expect(sent((await run(["canary", "abort"])).stdout)).toContain("docker exec kamal-proxy kamal-proxy rollout stop app-web");
    const status = await run(["canary", "status"]);
    expect(sent(status.stdout)).toContain("docker exec kamal-proxy cat /home/kamal-proxy/.config/kamal-proxy/kamal-proxy.state");
  }, 60_000);

  test("refuses a percentage that is not a whole number from 1 to 100", async () => {
    const { code, stdout, stderr } = await run(["deploy", "--canary", "0"]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatchInlineSnapshot(`
      "✗ --canary must be a whole percentage from 1 to 100, got "0"
        fix: for example \`sextant deploy --canary 10\` sends 10% of the requests with a kamal-rollout cookie to the new version
      "
    `);
  }, 30_000);
});
