import { describe, expect, it } from "vitest";
import * as hook from "../../src/commands/hook.ts";
import { render } from "../../src/commands/shell.ts";
import { abbreviatedVersion, utcTimestamp } from "../../src/commands/tags.ts";
import { BASE, load } from "./fixtures.ts";

const SERVERS = "servers:\n- 1.1.1.1\n";
const performed = { recordedAt: utcTimestamp(new Date(Date.UTC(2023, 0, 1, 12))), performer: "deployer@example.com" };

describe("hooks", () => {
  it("runs from hooks_path", () => {
    expect(render(hook.run(load(BASE + SERVERS), "pre-deploy"))).toBe(".kamal/hooks/pre-deploy");
    expect(render(hook.run(load(`${BASE + SERVERS}hooks_path: custom/hooks/path\n`), "foo"))).toBe("custom/hooks/path/foo");
  });
  it("gets Kamal's environment, details and (when asked) the secrets", () => {
    const config = load(BASE + SERVERS, { destination: "staging", version: "0123456789abcdef", secrets: { DB_PASSWORD: "secret" } });
    const env = hook.env(config, performed, { hosts: "1.1.1.1,1.1.1.2", lock: "true", command: "deploy" }, config.secrets.all());
    expect(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === "string" ? v : `secret:${v.reveal()}`]))).toEqual({
      KAMAL_RECORDED_AT: "2023-01-01T12:00:00Z",
      KAMAL_PERFORMER: "deployer@example.com",
      KAMAL_DESTINATION: "staging",
      KAMAL_VERSION: "0123456789abcdef",
      KAMAL_SERVICE_VERSION: "app@0123456",
      KAMAL_SERVICE: "app",
      KAMAL_HOSTS: "1.1.1.1,1.1.1.2",
      KAMAL_LOCK: "true",
      KAMAL_COMMAND: "deploy",
      DB_PASSWORD: "secret:secret",
    });
  });
  it("keeps uncommitted versions whole in KAMAL_SERVICE_VERSION", () => {
    expect(abbreviatedVersion("abc1234def_uncommitted_0123456789abcdef")).toBe("abc1234def_uncommitted_0123456789abcdef");
  });
});
