import { describe, expect, it } from "vitest";
import { containerStateOf } from "../../src/diagnose/container-state.ts";
import { listeningAddress } from "../../src/diagnose/listening-address.ts";
import { failedChecksOf } from "../../src/diagnose/proxy-log.ts";

const ID = "0123456789ab";

describe("kamal-proxy's failed checks", () => {
  it("keeps this container's Healthcheck failed lines, oldest first, and skips everything else", () => {
    const log = [
      `{"time":"2026-03-04T05:06:01.1Z","level":"INFO","msg":"Deploying","service":"app-web"}`,
      `{"time":"2026-03-04T05:06:02.1Z","level":"INFO","msg":"Healthcheck failed","url":"http://${ID}:80/up","error":"unexpected status (404)"}`,
      `{"time":"2026-03-04T05:06:02.2Z","level":"INFO","msg":"Healthcheck failed","url":"http://fedcba987654:80/up","error":"request timed out"}`,
      "not json at all",
      `{"broken":`,
      `{"time":"2026-03-04T05:06:03.1Z","level":"INFO","msg":"Healthcheck failed","url":"http://${ID}:80/up","error":"request timed out"}`,
    ].join("\n");
    expect(failedChecksOf(log, ID)).toEqual([
      { url: `http://${ID}:80/up`, error: "unexpected status (404)" },
      { url: `http://${ID}:80/up`, error: "request timed out" },
    ]);
  });
});

describe("container state", () => {
  it("reads status, exit code, OOM kill, restarts and memory limit from the inspect format", () => {
    const out = `{"state":{"Status":"exited","Running":false,"Restarting":false,"OOMKilled":true,"Dead":false,"Pid":0,"ExitCode":137,"Error":"","StartedAt":"2026-03-04T05:06:01Z","FinishedAt":"2026-03-04T05:06:09Z"},"restarts":0,"memory":268435456}\n`;
    expect(containerStateOf(out)).toEqual({ status: "exited", exitCode: 137, oomKilled: true, restarts: 0, memoryLimit: 268435456 });
  });

  it("is undefined for docker's error output", () => {
    expect(containerStateOf("Error: No such object: 0123456789ab")).toBeUndefined();
    expect(containerStateOf(`{"state":{}}`)).toBeUndefined();
  });
});

describe("where the app says it listens", () => {
  const cases: [string, string, ReturnType<typeof listeningAddress>][] = [
    ["Puma", "Puma starting in single mode...\n* Listening on http://0.0.0.0:3000\nUse Ctrl-C to stop", { host: "0.0.0.0", port: 3000 }],
    ["Puma over tcp", "* Listening on tcp://127.0.0.1:9292", { host: "127.0.0.1", port: 9292 }],
    ["Node", "Server running at http://127.0.0.1:8080/", { host: "127.0.0.1", port: 8080 }],
    ["gunicorn", "[2026-03-04 05:06:07 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)", { host: "0.0.0.0", port: 8000 }],
    ["Go's bare port", "2026/03/04 05:06:07 listening on :8080", { host: undefined, port: 8080 }],
    ["a port in words", "app listening on port 4000", { host: undefined, port: 4000 }],
    ["a bare number", "sample-app v1 listening on 8080", { host: undefined, port: 8080 }],
    ["not a date", "worker started on 2026-03-04", undefined],
    ["IPv6 any", "Listening on http://[::]:3000", { host: "[::]", port: 3000 }],
    ["the last announcement wins", "Listening on http://0.0.0.0:3000\nListening on http://0.0.0.0:3001", { host: "0.0.0.0", port: 3001 }],
    ["timestamps alone are not addresses", "2026-03-04 05:06:07 booting\nstarted at 05:06:08", undefined],
    ["nothing said", "", undefined],
  ];
  for (const [name, log, expected] of cases) it(name, () => expect(listeningAddress(log)).toEqual(expected));
});
