import { describe, expect, test } from "vitest";
import { deployPhases, phaseTurns } from "../../scripts/deploy-phases.ts";

const at = (ms: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, 0, ms)).toISOString();
const command = (ms: number, host: string, line: string) => JSON.stringify({ v: 1, ts: at(ms), type: "command", host, line });
const output = (ms: number, host: string, text: string) => JSON.stringify({ v: 1, ts: at(ms), type: "output", host, text });
const step = (ms: number, title: string) => JSON.stringify({ v: 1, ts: at(ms), type: "step.start", title });

describe("deployPhases", () => {
  test("a session is a host's run of commands; it lasts until the host's next session or the end", () => {
    const events = [
      step(0, "Pull app image..."),
      command(10, "h1", "docker login registry -u [REDACTED] --password-stdin"),
      command(10, "h2", "docker login registry -u [REDACTED] --password-stdin"),
      output(200, "h1", "Login Succeeded"),
      // one session reported across a millisecond boundary
      command(200, "h1", "mkdir -p .kamal && echo pulled >> .kamal/app-audit.log"),
      command(202, "h1", "docker pull registry/app:v2"),
      command(300, "h2", "docker pull registry/app:v2"),
      command(700, "h1", "mkdir -p .kamal"),
      command(700, "h1", "mkdir .kamal/lock-app && echo details > .kamal/lock-app/details"),
      command(750, "h1", "docker run --detach --name app-web-v2 registry/app:v2"),
      command(760, "h2", "docker run --detach --name app-web-v2 registry/app:v2"),
      output(1500, "h1", "0123abcd"),
      command(1500, "h1", "docker exec kamal-proxy kamal-proxy deploy app-web --target=0123abcd:80"),
      command(1800, "h1", "rm .kamal/lock-app/details && rm -r .kamal/lock-app"),
      step(2000, "Finished"),
    ];
    expect(Object.fromEntries(deployPhases(`${events.join("\n")}\n`))).toEqual({
      "registry login": [0.19, 0.29],
      "pull image": [0.5, 0.46],
      lock: [0.05],
      "run new container": [0.75, 1.24],
      "proxy switch": [0.3],
      unlock: [0.2],
    });
  });

  test("the registry mirror probe of a multi-host pull is a phase of its own", () => {
    const events = `${command(0, "h1", "docker info --format '{{index .RegistryConfig.Mirrors 0}}'")}\n${step(30, "done")}\n`;
    expect(Object.fromEntries(deployPhases(events))).toEqual({ "registry mirror probe": [0.03] });
  });

  test("commands it cannot name count as other", () => {
    expect(Object.fromEntries(deployPhases(`${command(0, "h1", "docker ps")}\n${step(100, "done")}\n`))).toEqual({ other: [0.1] });
  });

  test("a round trip belongs to the session started by then; the first ones of a host are its SSH handshake", () => {
    const base = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
    const events = [
      command(10, "h1", "docker login registry -u [REDACTED] --password-stdin"),
      command(10, "h2", "docker login registry -u [REDACTED] --password-stdin"),
      command(300, "h1", "docker pull registry/app:v2"),
      command(301, "h2", "docker pull registry/app:v2"),
      step(400, "done"),
    ];
    const turns: Record<string, number[]> = { h1: [11, 20, 30, 60, 301], h2: [11, 20, 30, 298, 302, 350] };
    const counts = phaseTurns(`${events.join("\n")}\n`, (host) => (turns[host] ?? []).map((ms) => base + ms), 2);
    expect(Object.fromEntries(counts)).toEqual({ "SSH handshake": [2, 2], "registry login": [2, 2], "pull image": [1, 2] });
  });
});
