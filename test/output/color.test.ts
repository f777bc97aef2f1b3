import { describe, expect, test } from "vitest";
import { makeChalk } from "../../src/output/color.ts";

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe("makeChalk", () => {
  test.each([
    ["a TTY", tty, {}, false, 1],
    ["a pipe", pipe, {}, false, 0],
    ["a TTY with NO_COLOR set", tty, { NO_COLOR: "1" }, false, 0],
    ["a TTY with NO_COLOR empty", tty, { NO_COLOR: "" }, false, 1],
    ["a pipe with FORCE_COLOR", pipe, { FORCE_COLOR: "1" }, false, 1],
    ["a TTY with FORCE_COLOR=0", tty, { FORCE_COLOR: "0" }, false, 0],
    ["FORCE_COLOR over NO_COLOR", pipe, { FORCE_COLOR: "1", NO_COLOR: "1" }, false, 1],
    ["--no-color over FORCE_COLOR", tty, { FORCE_COLOR: "1" }, true, 0],
  ])("colour level for %s", (_name, stream, env, noColor, level) => {
    expect(makeChalk(stream, env, noColor).level).toBe(level);
  });
});
