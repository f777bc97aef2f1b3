import { describe, expect, it } from "vitest";
import * as clone from "../../src/commands/builder-clone.ts";
import { render } from "../../src/commands/shell.ts";
import { BASE, load } from "./fixtures.ts";

const config = load(`${BASE}servers:\n- 1.1.1.1\n`);
const paths = clone.clonePaths(config, { tmpdir: "/tmp", cwd: "/home/dev/shop/web", gitRoot: "/home/dev/shop" });

describe("git clone builds", () => {
  it("clones into a per-working-directory folder and builds in the same subdirectory", () => {
    // the first 13 hex digits of sha256("/home/dev/shop/web")
    expect(paths.cloneDirectory).toBe("/tmp/kamal-clones/app-4f9c7eb7b5d32");
    expect(paths.buildDirectory).toBe(`${paths.cloneDirectory}/shop/web`);
    expect(render(clone.clone(paths))).toBe(`git -C ${paths.cloneDirectory} clone /home/dev/shop --recurse-submodules`);
  });
  it("resets the clone to the local HEAD", () => {
    const dir = paths.buildDirectory;
    expect(clone.cloneResetSteps(paths, "abc123").map((c) => render(c))).toEqual([
      `git -C ${dir} remote set-url origin /home/dev/shop`,
      `git -C ${dir} fetch origin`,
      `git -C ${dir} reset --hard abc123`,
      `git -C ${dir} clean -fdx`,
      `git -C ${dir} submodule update --init`,
      `git -C ${dir} gc --auto --quiet`,
    ]);
    expect(render(clone.cloneStatus(paths))).toBe(`git -C ${dir} status --porcelain`);
    expect(render(clone.cloneRevision(paths))).toBe(`git -C ${dir} rev-parse HEAD`);
  });
  it("escapes paths like Ruby's shellescape", () => {
    expect(clone.shellEscape("/absolute/path with spaces")).toBe("/absolute/path\\ with\\ spaces");
    expect(clone.shellEscape("it's")).toBe("it\\'s");
    expect(clone.shellEscape("")).toBe("''");
  });
});
