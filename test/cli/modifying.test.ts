import type { Command } from "commander";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { isModifying, MODIFYING_COMMANDS } from "../../src/cli/modifying.ts";
import { buildProgram } from "../../src/cli/program.ts";
import { createReporter } from "../../src/output/create.ts";

const sink = { write: () => true };

/** The real program; each action's command is handed back instead of run. */
function program(ran: Command[]) {
  return buildProgram({
    io: { cwd: "/", env: {}, stdout: sink, stderr: sink, signal: new AbortController().signal, stdin: Readable.from([]) },
    reporter: createReporter({ json: false, verbosity: "normal", noColor: true, version: "test", stdout: sink, stderr: sink }),
    version: "test",
    withContext: (cmd) => {
      ran.push(cmd);
      return Promise.resolve(undefined as never);
    },
  });
}

const commandOf = async (argv: string[]) => {
  const ran: Command[] = [];
  await program(ran).parseAsync(argv, { from: "user" });
  const [cmd] = ran;
  if (cmd === undefined) throw new Error(`${argv.join(" ")} ran no context`);
  return cmd;
};

describe("isModifying", () => {
  test("names only commands that exist", () => {
    const root = program([]);
    const missing = [...MODIFYING_COMMANDS].filter((name) => {
      const [group, sub] = name.split(" ");
      const top = root.commands.find((c) => c.name() === group);
      return top === undefined || (sub !== undefined && !top.commands.some((c) => c.name() === sub));
    });
    expect(missing).toEqual([]);
  });

  test("counts the commands that change the servers, as Kamal's modify does", async () => {
    expect(isModifying(await commandOf(["deploy"]))).toBe(true);
    expect(isModifying(await commandOf(["app", "boot"]))).toBe(true);
    expect(isModifying(await commandOf(["prune", "all"]))).toBe(true);
    expect(isModifying(await commandOf(["app", "details"]))).toBe(false);
    expect(isModifying(await commandOf(["lock", "status"]))).toBe(false);
  });

  test("app stale_containers changes the servers only with --stop", async () => {
    expect(isModifying(await commandOf(["app", "stale_containers"]))).toBe(false);
    expect(isModifying(await commandOf(["app", "stale_containers", "--stop"]))).toBe(true);
  });
});
