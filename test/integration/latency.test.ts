// Round trips over a 50 ms link (lab/latency.ts): a deploy to one host waits for at most MAX_ROUND_TRIPS round
// trips beyond the SSH handshake, every request still answered. Round trips are counted by the relay, not timed,
// so a busy machine does not fail this test; a flow that adds a session or a command that waits for an answer does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HANDSHAKE, phaseTurns } from "../../scripts/deploy-phases.ts";
import { handshakeTurns, MAX_ROUND_TRIPS } from "../../scripts/bench-deploy.ts";
import { buildCli } from "../cli/support.ts";
import { commitConfig, getPage, pageVersion, reloadProxyImage, sextant, startLoad, writeApp } from "./deploy-app.ts";
import { startLatency, type Latency } from "./lab/latency.ts";
import { currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";

const RTT_MS = 50;

describe.skipIf(labSkipped())("a deploy over a 50 ms link", () => {
  let lab: Lab;
  let dir: string;
  let latency: Latency;
  let build: { bin: string; cleanup: () => void };
  const cli = (args: string[]) => sextant(lab, dir, args, { bin: build.bin });

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    await resetHosts(lab);
    latency = await startLatency(lab, RTT_MS);
    dir = mkdtempSync(join(tmpdir(), "sextant-latency-"));
  });
  afterAll(async () => {
    await latency?.stop();
    if (!lab) return;
    await resetHosts(lab);
    await reloadProxyImage(lab);
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test(`a redeploy to one host waits for at most ${MAX_ROUND_TRIPS} round trips beyond the SSH handshake`, async () => {
    const relayed = latency.hosts[0]?.address ?? "";
    await writeApp(lab, dir, { hosts: [relayed], appVersion: "v2" });
    expect((await cli(["build", "push", "--version", "v2"])).exitCode).toBe(0);
    await commitConfig(lab, dir, { hosts: [relayed], appVersion: "v1" });
    const setup = await cli(["setup", "--version", "v1"]);
    expect(setup.exitCode, setup.stderr).toBe(0);

    const address = lab.hosts[0]?.address ?? "";
    const load = startLoad([address], { minimum: 50 });
    latency.reset();
    const run = await cli(["deploy", "--skip-push", "--version", "v2", "--json", "-v"]);
    const turns = [...latency.turns(relayed)];
    const perHost = await load.stop();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(perHost.get(address)?.failures).toBe(0);
    expect(pageVersion(await getPage(address))).toBe("v2");

    const handshake = await handshakeTurns(lab, latency, dir);
    const phases = phaseTurns(run.stdout, () => turns, handshake);
    const perPhase = Object.fromEntries([...phases].map(([phase, [n]]) => [phase, n]));
    console.log(`round trips per phase at ${RTT_MS} ms: ${JSON.stringify(perPhase)}`);
    const beyond = [...phases].filter(([phase]) => phase !== HANDSHAKE).reduce((sum, [, [n = 0]]) => sum + n, 0);
    expect(beyond).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
  });

  test("a deploy that builds opens the host's connection while the image builds", async () => {
    const relayed = latency.hosts[0]?.address ?? "";
    await commitConfig(lab, dir, { hosts: [relayed], appVersion: "v3" });
    latency.reset();
    const run = await cli(["deploy", "--version", "v3", "--json", "-v"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const turns = [...latency.turns(relayed)];
    const built = run.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { type?: string; host?: string; phase?: string; ts?: string })
      .find((e) => e.type === "host.phase" && e.host === "local" && e.phase === "done");
    const builtAt = Date.parse(built?.ts ?? "");
    expect(Number.isFinite(builtAt)).toBe(true);
    const handshake = await handshakeTurns(lab, latency, dir);
    // the handshake and the shell session's start were paid while the image built
    expect(turns.filter((at) => at < builtAt).length).toBeGreaterThanOrEqual(handshake);
    expect(turns.filter((at) => at >= builtAt).length).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
    expect(pageVersion(await getPage(lab.hosts[0]?.address ?? ""))).toBe("v3");
  });
});
