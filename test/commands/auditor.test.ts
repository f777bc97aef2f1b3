import { describe, expect, it } from "vitest";
import * as auditor from "../../src/commands/auditor.ts";
import { render } from "../../src/commands/shell.ts";
import { utcTimestamp } from "../../src/commands/tags.ts";
import { BASE, load } from "./fixtures.ts";

const SERVERS = "servers:\n- 1.1.1.1\n";
const performed = { recordedAt: utcTimestamp(new Date(Date.UTC(2023, 0, 1, 12))), performer: "deployer@example.com" };

describe("auditor", () => {
  it("appends an escaped line to the service's audit log", () => {
    expect(render(auditor.record(load(BASE + SERVERS), performed, "app removed container"))).toBe(
      'mkdir -p .kamal && echo "[2023-01-01T12:00:00Z] [deployer@example.com] app removed container" >> .kamal/app-audit.log');
  });
  it("tags the destination and details", () => {
    expect(render(auditor.record(load(BASE + SERVERS, { destination: "staging" }), performed, "Executed cmd '$(id)'", { role: "web" }))).toBe(
      'mkdir -p .kamal && echo "[2023-01-01T12:00:00Z] [deployer@example.com] [staging] [web] Executed cmd \'\\$(id)\'" >> .kamal/app-staging-audit.log');
  });
  it("reveals the last 50 lines", () => {
    expect(render(auditor.reveal(load(BASE + SERVERS)))).toBe("tail -n 50 .kamal/app-audit.log");
  });
});
