// Logs from every host at once: the built CLI follows the sample app on two lab hosts while requests go through
// each host's kamal-proxy, so each container logs its own lines; Ctrl-C ends every stream, on the hosts too. A
// third host without the app fails alone while the others stream on; --merge orders the hosts' lines in time.
import { execa, type ResultPromise } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli } from "../cli/support.ts";
import { builderEnv, currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";
import { commitConfig, getPage, sextant, writeApp } from "./deploy-app.ts";

const APP = { appVersion: "v1", env: { LOG_REQUESTS: "1" } };

describe.skipIf(labSkipped())("app logs from every host", () => {
  let lab: Lab;
  let dir: string;
  let deployed: string[];
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });

  /** `sextant ...args` left running, its stdout and stderr collected as they come. */
  function start(args: string[]) {
    const run: ResultPromise = execa(process.execPath, [build.bin, ...args], {
      cwd: dir, reject: false, env: { ...builderEnv(lab), DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1" },
    });
    const seen = { stdout: "", stderr: "" };
    run.stdout?.on("data", (chunk: Buffer) => (seen.stdout += chunk.toString()));
    run.stderr?.on("data", (chunk: Buffer) => (seen.stderr += chunk.toString()));
    const waitFor = async (what: string, ready: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!ready()) {
        if (Date.now() > deadline) throw new Error(`waited 20 s for ${what}\nstdout:\n${seen.stdout}\nstderr:\n${seen.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** Ctrl-C; resolves with the exit code and how long the run took to end. */
    const interrupt = async () => {
      const sent = performance.now();
      run.kill("SIGINT");
      const result = await run;
      return { exitCode: result.exitCode, ms: performance.now() - sent };
    };
    return { seen, waitFor, interrupt };
  }

  /** The lines of `text` labelled with `host` (`10.213.0.11 | GET /x`), without the label. */
  const linesOf = (text: string, host: string) =>
    text.split("\n").flatMap((line) => (line.startsWith(`${host} `) ? [line.slice(line.indexOf("| ") + 2)] : []));

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    deployed = lab.hosts.slice(0, 2).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-logs-"));
    await writeApp(lab, dir, { hosts: deployed, ...APP });
    const setup = await cli(["setup", "--version", "v1"]);
    expect(setup.exitCode, setup.stderr).toBe(0);
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("app logs -f shows each host's requests under its own label, and Ctrl-C ends every stream at once", async () => {
    const follow = start(["app", "logs", "-f"]);
    // The last 10 lines of each container come first: the app's start, kamal-proxy's health checks.
    await follow.waitFor("both hosts' last lines", () => deployed.every((h) => linesOf(follow.seen.stdout, h).length > 0));
    expect(follow.seen.stderr).toContain(`Following logs on ${deployed.join(", ")}...`);

    for (const host of deployed) await getPage(host, 5000, `/hello-from-${host}`);
    await follow.waitFor("a request line from each host", () => deployed.every((h) => linesOf(follow.seen.stdout, h).some((l) => l.endsWith(`GET /hello-from-${h}`))));
    // Each request reached one host's container, and only that host's label shows it.
    const [first, second] = deployed as [string, string];
    expect(linesOf(follow.seen.stdout, first).some((l) => l.includes(`/hello-from-${second}`))).toBe(false);
    // docker's timestamps lead each line, as Kamal asks for them.
    expect(linesOf(follow.seen.stdout, first).at(-1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z GET \/hello-from-/);

    const { exitCode, ms } = await follow.interrupt();
    console.log(`app logs -f on ${deployed.length} hosts ended ${Math.round(ms)} ms after Ctrl-C`);
    expect(exitCode).toBe(130);
    expect(ms).toBeLessThan(3000);
    // Hanging up the sessions' terminals ended `docker logs --follow` on the hosts as well.
    for (const host of deployed) {
      const left = await execa("ssh", sshArgs(lab, host, "pgrep -f '[d]ocker logs' || true"));
      expect(left.stdout, host).toBe("");
    }
  });

  test("a host without the app gets one line while the others stream on; the run exits 1 even after Ctrl-C", async () => {
    const bare = lab.hosts[2]?.address;
    if (!bare) throw new Error("the lab needs three hosts");
    await commitConfig(lab, dir, { hosts: [...deployed, bare], ...APP });
    try {
      const follow = start(["app", "logs", "-f"]);
      await follow.waitFor("the bare host's failure", () => follow.seen.stderr.includes(`[${bare}]`));
      expect(follow.seen.stderr).toContain(`[${bare}]  warning: web: the log command exited 123`);
      // After that failure, the deployed hosts still deliver their new lines.
      for (const host of deployed) await getPage(host, 5000, `/still-there-${host}`);
      await follow.waitFor("new lines from the deployed hosts", () => deployed.every((h) => linesOf(follow.seen.stdout, h).some((l) => l.endsWith(`/still-there-${h}`))));

      const { exitCode } = await follow.interrupt();
      expect(exitCode).toBe(1);
      expect(follow.seen.stderr).toContain(`✗ [${bare}] the log command exited 123\n  fix: check that the container runs there: \`sextant details -h ${bare}\``);
    } finally {
      await commitConfig(lab, dir, { hosts: deployed, ...APP });
    }
  });

  test("app logs --merge -T lists both hosts' lines in the order they were written", async () => {
    const [first, second] = deployed as [string, string];
    for (const [i, host] of [first, second, first, second].entries()) await getPage(host, 5000, `/merge-${i}`);
    const run = await cli(["app", "logs", "--merge", "-T", "--grep", "/merge-"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const width = Math.max(first.length, second.length);
    expect(run.stdout.split("\n").filter(Boolean)).toEqual(
      [first, second, first, second].map((host, i) => `${host.padEnd(width)} | GET /merge-${i}`),
    );
  });
});
