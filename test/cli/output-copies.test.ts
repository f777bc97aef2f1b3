// `output:` as users run it: the built CLI, a log directory in the app, and a local OTLP/HTTP collector.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closedPort, startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

let bin = "";
let cleanup = () => {};
let receiver: OtlpReceiver;
beforeAll(async () => {
  ({ bin, cleanup } = buildCli());
  receiver = await startOtlpReceiver();
}, 60_000);
afterAll(async () => {
  cleanup();
  await receiver.close();
});

// 2026-12-06T03:45:06Z, in UTC, so the file name is the same on every machine.
const env = cleanEnv({
  VERSION: "999", SOURCE_DATE_EPOCH: "1796528706", TZ: "UTC",
  GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "user.email", GIT_CONFIG_VALUE_0: "deployer@example.com",
});

/** An app on 127.0.0.1 whose SSH port answers nothing. */
async function app() {
  const port = await closedPort();
  const deploy = [
    "service: app", "image: dhh/app", "servers: [127.0.0.1]", "registry:", "  username: u", "  password: p", "builder:", "  arch: amd64",
    `ssh:`, `  port: ${port}`, "output:", "  file:", "    path: log/kamal", "  otel:", `    endpoint: ${receiver.endpoint}`, "",
  ].join("\n");
  return { cwd: appDir({ "config/deploy.yml": deploy }), port };
}

type Record = { body: { stringValue: string }; eventName?: string; severityText: string; attributes?: { key: string; value: unknown }[] };
const received = () =>
  receiver.received.flatMap((r) => {
    const body = r.body as { resourceLogs: { resource: { attributes: unknown[] }; scopeLogs: { logRecords: Record[] }[] }[] };
    return body.resourceLogs.flatMap((l) => l.scopeLogs.flatMap((s) => s.logRecords.map((record) => ({ resource: l.resource.attributes, record }))));
  });

describe("output.file and output.otel", () => {
  test("a run that changes the servers and fails: its log file ends with the failure, the collector gets it all", async () => {
    receiver.received.length = 0;
    const { cwd, port } = await app();
    const { code, stderr } = await runCli(bin, ["app", "stop"], { cwd, env });
    expect(code).toBe(1);
    const dir = join(cwd, "log/kamal");
    expect(readdirSync(dir)).toEqual(["2026-12-06T03-45-06_app_stop.log"]);
    const file = join(dir, "2026-12-06T03-45-06_app_stop.log");
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines[0]).toBe("Acquiring the deploy lock...");
    expect(lines[1]).toBe("  INFO [127.0.0.1] Running mkdir -p .kamal");
    expect(lines.at(-2)).toBe(`# FAILED: SextantError: [127.0.0.1] could not connect to root@127.0.0.1:${port}: connection refused (0.0s)`);
    expect(lines.at(-1)).toBe("");
    expect(stderr).toContain(`Logs written to ${file}\nLogs sent to ${receiver.endpoint}\n`);

    const records = received();
    expect(records.map((r) => r.record.body.stringValue)).toEqual([
      "kamal.start", ...lines.slice(0, -2), "kamal.failed",
    ]);
    const [start, failed] = [records[0]?.record, records.at(-1)?.record];
    expect(start?.attributes).toEqual([{ key: "kamal.command", value: { stringValue: "app stop" } }]);
    expect(failed).toMatchObject({ severityText: "ERROR", eventName: "kamal.failed" });
    expect(failed?.attributes?.find((a) => a.key === "exception.type")).toEqual({ key: "exception.type", value: { stringValue: "SextantError" } });
    expect(records[0]?.resource).toEqual([
      { key: "service.name", value: { stringValue: "kamal" } },
      { key: "service.version", value: { stringValue: "2.12.0" } },
      { key: "kamal.run_id", value: { stringValue: expect.stringMatching(/^[0-9a-f-]{36}$/) } },
      { key: "kamal.performer", value: { stringValue: "deployer@example.com" } },
      { key: "kamal.deploy_version", value: { stringValue: "999" } },
      { key: "service.namespace", value: { stringValue: "app" } },
    ]);
  }, 30_000);

  test("a dry run writes a file marked as one, and sends nothing", async () => {
    receiver.received.length = 0;
    const { cwd } = await app();
    const { code, stderr } = await runCli(bin, ["deploy", "--dry-run"], { cwd, env });
    expect(code).toBe(0);
    const file = join(cwd, "log/kamal/2026-12-06T03-45-06_deploy_dry-run.log");
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines[0]).toBe("# Dry run: nothing was sent to any host");
    expect(lines).toContain("  INFO [127.0.0.1] Would run /usr/bin/env mkdir -p .kamal");
    expect(lines.at(-2)).toBe("# Completed in 0.0s");
    expect(stderr).toContain(`Dry run: no logs sent to ${receiver.endpoint}\n`);
    expect(stderr).toContain(`Logs written to ${file}\n`);
    expect(receiver.received).toEqual([]);
  }, 30_000);

  test("a command that changes nothing keeps no log, as in Kamal", async () => {
    receiver.received.length = 0;
    const { cwd } = await app();
    const { code } = await runCli(bin, ["app", "details", "--dry-run"], { cwd, env });
    expect(code).toBe(0);
    expect(existsSync(join(cwd, "log"))).toBe(false);
  }, 30_000);
});
