// `output:` (Kamal 2.12) on real hosts: a deploy to two lab hosts with `output.file` and `output.otel` set writes
// its log file and ships its lines to a local OTLP/HTTP receiver, each host's commands carrying that host.
import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deployYml, getPage, pageVersion, sextant, writeApp } from "./deploy-app.ts";
import { buildCli } from "../cli/support.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";
import { currentLab, labSkipped, resetHosts, type Lab } from "./lab/lab.ts";

type LogRecord = { body: { stringValue: string }; eventName?: string; attributes?: { key: string; value: { stringValue?: string } }[] };
type LogsRequest = { resourceLogs: { scopeLogs: { logRecords: LogRecord[] }[] }[] };

describe.skipIf(labSkipped())("output.file and output.otel on a deploy to two lab hosts", () => {
  let lab: Lab;
  let dir: string;
  let receiver: OtlpReceiver;
  let build: { bin: string; cleanup: () => void };
  let addresses: string[];

  beforeAll(async () => {
    lab = currentLab();
    build = buildCli();
    receiver = await startOtlpReceiver();
    addresses = lab.hosts.slice(0, 2).map((h) => h.address);
    await resetHosts(lab);
    dir = mkdtempSync(join(tmpdir(), "sextant-output-"));
    await writeApp(lab, dir, { hosts: addresses, appVersion: "v1" });
    // Committed, so the version is not -dirty; the log directory stays out of git.
    const yml = `${deployYml(lab, { hosts: addresses, appVersion: "v1" })}output:\n  file:\n    path: log/deploys\n  otel:\n    endpoint: ${receiver.endpoint}\n`;
    writeFileSync(join(dir, "config/deploy.yml"), yml);
    writeFileSync(join(dir, ".gitignore"), ".docker/\nlog/\n");
    await execa("git", ["commit", "-qam", "output"], { cwd: dir });
  });
  afterAll(async () => {
    if (!lab) return;
    await resetHosts(lab);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
    build.cleanup();
  });

  test("the deploy's log file and its OTLP records say what ran on each host", async () => {
    const run = await sextant(lab, dir, ["deploy"], { bin: build.bin });
    expect(run.exitCode, run.stderr).toBe(0);
    for (const address of addresses) expect(pageVersion(await getPage(address))).toBe("v1");

    const [file, ...others] = readdirSync(join(dir, "log/deploys"));
    expect(others).toEqual([]);
    expect(file).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d_deploy\.log$/);
    const text = readFileSync(join(dir, "log/deploys", file ?? ""), "utf8");
    for (const address of addresses) expect(text).toMatch(new RegExp(`INFO \\[${address.replaceAll(".", "\\.")}\\] Running .*docker run --detach.* --name sample-web-`));
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^# Completed in \d+(\.\d+)?s$/);
    expect(run.stderr).toContain(`Logs sent to ${receiver.endpoint}`);

    const records = receiver.received
      .filter((r) => r.path === "/v1/logs")
      .flatMap((r) => (r.body as LogsRequest).resourceLogs.flatMap((l) => l.scopeLogs.flatMap((s) => s.logRecords)));
    expect(records[0]?.eventName).toBe("kamal.start");
    expect(records.at(-1)?.eventName).toBe("kamal.complete");
    const hostOf = (r: LogRecord) => r.attributes?.find((a) => a.key === "server.address")?.value.stringValue;
    for (const address of addresses)
      expect(records.some((r) => hostOf(r) === address && r.body.stringValue.includes("docker run --detach"))).toBe(true);
  }, 300_000);
});
