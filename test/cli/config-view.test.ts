// `sextant config` shows Ruby values from deploy.yml as the printer knows them; the view never prints a Float or
// a Symbol as an empty hash.
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
