import { describe, expect, test } from "vitest";
import { cmd } from "../../src/commands/shell.ts";
import { createExecutor } from "../../src/exec/create.ts";
import { LOCAL } from "../../src/exec/executor.ts";
import { configFromYaml } from "../support/config.ts";
import { MemoryReporter } from "./support.ts";

const config = configFromYaml("service: app\nimage: acme/app\nservers:\n  - 10.0.0.1\nregistry:\n  username: u\n  password: [KAMAL_REGISTRY_PASSWORD]\nbuilder:\n  arch: amd64\n", {
  secrets: { KAMAL_REGISTRY_PASSWORD: "pw" },
});

describe("createExecutor", () => {
  test("a dry run records every host, local included, prints planned lines in order, and says first and last that nothing is sent", async () => {
    const reporter = new MemoryReporter();
    const ex = createExecutor({ dryRun: true, config, reporter, cwd: "/tmp", env: {} });
    await ex.run(LOCAL, cmd("docker", "build", "."));
    await ex.run("10.0.0.1", cmd("docker", "pull", "acme/app:1"));
    expect(await ex.interactive("10.0.0.1", cmd("docker", "exec", "-it", "app", "sh"))).toBe(0);
    await ex.close();
    expect(reporter.events).toEqual([
      { type: "info", text: expect.stringMatching(/^Dry run: nothing will be sent to any host; /) },
      { type: "planned", host: LOCAL, text: "docker build ." },
      { type: "planned", host: "10.0.0.1", text: "docker pull acme/app:1" },
      { type: "planned", host: "10.0.0.1", text: "docker exec -it app sh" },
      { type: "info", text: "Dry run: 3 commands planned for 1 host and this machine; nothing was sent" },
    ]);
    expect(ex.stats()).toEqual(new Map());
  });

  test("host `local` runs on this machine", async () => {
    const reporter = new MemoryReporter();
    const ex = createExecutor({ dryRun: false, config, reporter, cwd: "/tmp", env: { PATH: process.env.PATH } });
    try {
      expect(await ex.capture(LOCAL, cmd("pwd"))).toBe("/tmp");
      expect(ex.stats()).toEqual(new Map());
    } finally {
      await ex.close();
    }
  });
});
