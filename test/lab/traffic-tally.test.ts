import { describe, expect, test } from "vitest";
import { judgeAnswer, type TrafficRecord } from "../integration/traffic/record.ts";
import { formatTally, tally } from "../integration/traffic/tally.ts";

const page = (version: string, extra = "") => `sample-app\nversion: ${version}\nkamal_version: \ncontainer: c\nmethod: GET\npath: /\n${extra}`;

describe("judgeAnswer", () => {
  test("a 200 page is answered by its version; 503 and 504 are the proxy's own ends; anything else failed", () => {
    expect(judgeAnswer(200, page("v2"))).toEqual({ outcome: "answered", version: "v2" });
    expect(judgeAnswer(503, "<html>maintenance</html>")).toEqual({ outcome: "503" });
    expect(judgeAnswer(504, "<html>Gateway Timeout</html>")).toEqual({ outcome: "504" });
    expect(judgeAnswer(502, "Bad Gateway\n")).toEqual({ outcome: "failed", error: "HTTP 502: Bad Gateway" });
    expect(judgeAnswer(200, "not the app")).toEqual({ outcome: "failed", error: "HTTP 200: not the app" });
  });

  test("a check on the body turns a wrong answer into a failure that keeps its version", () => {
    const check = (body: string) => (body.includes("bytes: 1048576\n") ? undefined : "short upload");
    expect(judgeAnswer(200, page("v1", "bytes: 1048576\n"), check)).toEqual({ outcome: "answered", version: "v1" });
    expect(judgeAnswer(200, page("v1", "bytes: 12\n"), check)).toEqual({ outcome: "failed", version: "v1", error: "short upload" });
  });
});

describe("tally", () => {
  const at = (kind: TrafficRecord["kind"], outcome: TrafficRecord["outcome"], version?: string, error?: string): TrafficRecord =>
    ({ kind, host: "10.213.0.11", startedAt: 0, endedAt: 1, outcome, ...(version ? { version } : {}), ...(error ? { error } : {}) });

  test("counts each kind's outcomes and versions, and prints one row per kind", () => {
    const tallies = tally([
      at("keep-alive GET", "answered", "v1"), at("keep-alive GET", "answered", "v2"), at("keep-alive GET", "answered", "v2"),
      at("past drain", "504"), at("websocket", "closed", "v1"), at("websocket", "answered", "v2"),
      at("upload 1 MB", "failed", undefined, "socket hang up"), at("upload 1 MB", "503"),
    ]);
    expect(tallies.get("upload 1 MB")).toEqual({
      sent: 2, answered: 0, failed: 1, ended: { "504": 0, "503": 1, closed: 0 }, versions: new Map(), errors: ["10.213.0.11: socket hang up"],
    });
    expect(formatTally("sextant deploy v2 (12.3 s)", tallies)).toMatchInlineSnapshot(`
      "sextant deploy v2 (12.3 s)
      KIND            SENT  ANSWERED  FAILED  504  503  CLOSED  VERSIONS
      keep-alive GET     3         3       0    0    0       0  v1×1 v2×2
      past drain         1         0       0    1    0       0
      websocket          2         1       0    0    0       1  v1×1 v2×1
      upload 1 MB        2         0       1    0    1       0"
    `);
  });
});
