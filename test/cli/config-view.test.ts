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
