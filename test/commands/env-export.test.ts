import { expect, test } from "vitest";
import { withEnv } from "../../src/commands/env-export.ts";
import { cmd, render, wire } from "../../src/commands/shell.ts";

test("exports the environment in a subshell around the command, as SSHKit writes it", () => {
  const line = wire(withEnv({ BUILDKIT_NO_CLIENT_TOKEN: "1", SAY: 'a "b"' }, cmd("docker", "buildx", "build", ".")));
  expect(line).toBe('( export BUILDKIT_NO_CLIENT_TOKEN="1" SAY="a \\"b\\"" ; docker buildx build . )');
});

test("leaves a command without environment as it is", () => {
  expect(render(withEnv({}, cmd("docker", "ps")))).toBe("docker ps");
});
