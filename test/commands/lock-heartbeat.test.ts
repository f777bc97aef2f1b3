import { describe, expect, it } from "vitest";
import * as heartbeat from "../../src/commands/lock-heartbeat.ts";
import { wire } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const config = load(`${BASE}servers:\n- 1.1.1.1\n`, { destination: "production" });
const holder = { machine: "ci-runner-7", pid: 4242, started: "2026-03-04T05:06:07Z" };

describe("deploy lock heartbeat", () => {
  it("writes the holder line into the lock directory, never creating the directory", () => {
    expect(wire(heartbeat.mark(config, holder))).toBe(
      "/usr/bin/env echo 'sextant machine=ci-runner-7 pid=4242 started=2026-03-04T05:06:07Z' > .kamal/lock-app-production/heartbeat");
  });
  it("touches the heartbeat only while it names this holder", () => {
    expect(wire(heartbeat.beat(config, holder))).toBe(
      "/usr/bin/env grep -qxF 'sextant machine=ci-runner-7 pid=4242 started=2026-03-04T05:06:07Z' .kamal/lock-app-production/heartbeat" +
      " && touch .kamal/lock-app-production/heartbeat");
  });
  it("reads the host's clock, the heartbeat's mtime and the holder in one command", () => {
    expect(wire(heartbeat.read(config))).toBe(
      "/usr/bin/env date +%s && stat -c %Y .kamal/lock-app-production/heartbeat && cat .kamal/lock-app-production/heartbeat");
  });
  it("removes a stale lock only if it still names the stale holder", () => {
    expect(wire(heartbeat.takeOver(config, holder))).toBe(
      "/usr/bin/env grep -qxF 'sextant machine=ci-runner-7 pid=4242 started=2026-03-04T05:06:07Z' .kamal/lock-app-production/heartbeat" +
      " && rm -r .kamal/lock-app-production");
  });
  it("quotes a machine name the shell would split", () => {
    expect(wire(heartbeat.mark(config, { ...holder, machine: "pat's mac" }))).toBe(
      "/usr/bin/env echo 'sextant machine=pat'\\''s mac pid=4242 started=2026-03-04T05:06:07Z' > .kamal/lock-app-production/heartbeat");
  });
  it("parses the holder line back, and nothing else", () => {
    expect(heartbeat.parseHolderLine(heartbeat.holderLine(holder))).toEqual(holder);
    expect(heartbeat.parseHolderLine("sextant machine=a pid=x started=b")).toBeUndefined();
    expect(heartbeat.parseHolderLine("")).toBeUndefined();
  });
});
