import { describe, expect, it } from "vitest";
import * as server from "../../src/commands/server.ts";
import { render, wire } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const config = load(`${BASE}servers:\n- 1.1.1.1\n`, { destination: "staging" });

describe("server commands", () => {
  const cases: [string, string, string][] = [
    ["run directory", wire(server.ensureRunDirectory()), "/usr/bin/env mkdir -p .kamal"],
    ["remove app directory", render(server.removeAppDirectory(config)), "rm -r .kamal/apps/app-staging"],
    ["count apps", wire(server.appDirectoryCount()), "/usr/bin/env ls .kamal/apps | wc -l"],
  ];
  for (const [what, built, expected] of cases) it(`builds ${what}`, () => expect(built).toBe(expected));
});
