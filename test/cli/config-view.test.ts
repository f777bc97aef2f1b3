// `sextant config` shows Ruby values from deploy.yml as Ruby prints them: a Float with its `.0`, an Integer with
// every digit, a Symbol as `:name`; never as an empty hash.
import { expect, test } from "vitest";
import { rubyConfigView } from "../../src/cli/config-view.ts";
import { toYaml } from "../../src/output/yaml-text.ts";
import { configFromYaml } from "../support/config.ts";

test("Symbols and Floats in printed sections keep their values", () => {
  const config = configFromYaml(`service: app
image: dhh/app
servers: [1.1.1.1]
registry: { username: u, password: p }
builder: { arch: amd64, args: { NODE_VERSION: 20.1 } }
ssh: { log_level: :debug }
`, { version: "999" });
  const text = toYaml(rubyConfigView(config));
  expect(text).toContain("  args:\n    NODE_VERSION: 20.1\n"); // kamal config: NODE_VERSION: 20.1
  expect(text).toContain("  :log_level: :debug\n"); // kamal config: :log_level: :debug
});

test("a whole Float keeps its .0 and a big Integer every digit, as Psych writes them", () => {
  const config = configFromYaml(`service: app
image: dhh/app
servers: [1.1.1.1]
registry: { username: u, password: p }
builder: { arch: amd64, args: { PG_VERSION: 16.0, SNOWFLAKE: 1234567890123456789, TINY: 0.00001 } }
`, { version: "999" });
  // ruby -ryaml -e 'puts({"PG_VERSION"=>16.0, "SNOWFLAKE"=>1234567890123456789, "TINY"=>0.00001}.to_yaml)'
  expect(toYaml(rubyConfigView(config))).toContain("  args:\n    PG_VERSION: 16.0\n    SNOWFLAKE: 1234567890123456789\n    TINY: 1.0e-05\n");
});

test("keys keep their Ruby type and written order; a quoted \":name\" stays a String", () => {
  const config = configFromYaml(`service: app
image: dhh/app
servers: [1.1.1.1]
registry: { username: u, password: p }
builder:
  arch: amd64
  args: { A: :info, B: ":info", 1: one, true: yes, 2.5: x, "7": seven, C: 'yes' }
`, { version: "999" });
  // ruby -ryaml -e 'puts YAML.load(File.read("deploy.yml"))["builder"].to_yaml'
  expect(toYaml(rubyConfigView(config))).toContain(`:builder:
  arch: amd64
  args:
    A: :info
    B: ":info"
    1: one
    true: true
    2.5: x
    '7': seven
    C: 'yes'
`);
});

test("a destination's keys follow the base's, which keep their places (Hash#deep_merge)", () => {
  const config = configFromYaml(`service: app
image: dhh/app
servers: [1.1.1.1]
registry: { username: u, password: p }
builder: { arch: amd64, args: { Z: 1, 10: ten } }
`, { version: "999", destination: "staging", destinationYaml: "builder: { args: { 2: two, Z: 3 } }\n" });
  expect(toYaml(rubyConfigView(config))).toContain("  args:\n    Z: 3\n    10: ten\n    2: two\n");
});

test("merge keys bring the source's keys at the point they are written", () => {
  const config = configFromYaml(`service: app
image: dhh/app
servers: [1.1.1.1]
registry: { username: u, password: p }
x-args: &args { 3: three, B: b }
builder: { arch: amd64, args: { A: a, <<: *args, 1: one } }
`, { version: "999" });
  expect(toYaml(rubyConfigView(config))).toContain("  args:\n    A: a\n    3: three\n    B: b\n    1: one\n");
});
