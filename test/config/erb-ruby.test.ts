// A template beyond the translator is rendered by Ruby's own ERB when `ruby` is on PATH, with a warning saying so.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { renderErb } from "../../src/config/erb.ts";
import { shellCapture } from "../../src/exec/local.ts";

const FAKE_RUBY = resolve(import.meta.dirname, "../../fixtures/ruby/bin");
const render = (template: string, PATH: string) =>
  renderErb(template, { file: "config/deploy.yml", cwd: import.meta.dirname, env: { PATH, STAGE: "staging" }, shell: shellCapture, arch: "arm64" });

test("hands the template and ENV to ruby, takes its text and ENV changes, and warns", async () => {
  const rendered = await render('service: <%= "%s" % ENV["STAGE"] %>\n', FAKE_RUBY);
  expect(rendered.text).toBe("service: rendered-by-fake-ruby\n");
  expect(rendered.env).toEqual({ PATH: FAKE_RUBY, STAGE: undefined, FROM_RUBY: "yes" });
  expect(rendered.warnings).toEqual([
    "config/deploy.yml: rendered by Ruby's ERB (`ruby` on PATH) because sextant does not translate " +
      '<%= "%s" % ENV["STAGE"] %> (sextant has no copy of String#%) on line 1',
  ]);
});

test("a template sextant translates never starts ruby", async () => {
  const rendered = await render('service: <%= ENV["STAGE"] %>\n', FAKE_RUBY);
  expect(rendered).toMatchObject({ text: "service: staging\n", warnings: [] });
});

const hasRuby = (() => {
  try {
    execFileSync("ruby", ["-e", "exit 0"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasRuby)("with the real Ruby", () => {
  const PATH = process.env.PATH ?? "";

  test("renders what only Ruby knows, Kamal::Utils.docker_arch included", async () => {
    // Ruby: "%05d" % 42 == "00042"
    const rendered = await render('n: <%= "%05d" % 42 %>\narch: <%= Kamal::Utils.docker_arch %>\nstage: <%= ENV["STAGE"] %>\n', PATH);
    expect(rendered.text).toBe("n: 00042\narch: arm64\nstage: staging\n");
    expect(rendered.warnings).toHaveLength(1);
  });

  test("an error in the template is reported with its line", async () => {
    await expect(render('a: 1\nb: <%= "%d" % "x" %>\n', PATH)).rejects.toThrow(
      'config/deploy.yml:2:1: Ruby\'s ERB failed: invalid value for Integer(): "x" (ArgumentError)',
    );
  });
});
