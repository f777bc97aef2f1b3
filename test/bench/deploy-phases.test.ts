import { describe, expect, test } from "vitest";
import { deployPhases } from "../../scripts/deploy-phases.ts";

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
});
