import { describe, expect, it } from "vitest";
import * as git from "../../src/commands/git.ts";
import { wire } from "../../src/commands/shell.ts";

describe("local git queries", () => {
  it("asks git what Kamal asks", () => {
    expect([git.isUsed(), git.userName(), git.email(), git.whoami(), git.revision(), git.uncommittedChanges(), git.root(),
      git.uncommittedFiles(), git.untrackedFiles()].map((c) => wire(c))).toEqual([
      "/usr/bin/env git rev-parse",
      "/usr/bin/env git config user.name",
      "/usr/bin/env git config user.email",
      "/usr/bin/env whoami",
      "/usr/bin/env git rev-parse HEAD",
      "/usr/bin/env git status --porcelain",
      "/usr/bin/env git rev-parse --show-toplevel",
      "/usr/bin/env git ls-files --modified",
      "/usr/bin/env git ls-files --others",
    ]);
  });
});
