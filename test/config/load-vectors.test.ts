// Every configuration in Kamal 2.12's own test suite (the conformance vectors) loads through the full pipeline:
// ERB as written (config_yaml_original keeps Kamal's `Kamal::Utils.docker_arch` tag), Psych YAML, destination merge.
// Only loading is checked here; test/commands/conformance.test.ts checks the commands.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { loadConfigFromText } from "../../src/config/load.ts";

type Vector = {
  id: string;
  config_yaml: string;
  config_yaml_original?: string;
  config_destination_yaml?: string | null;
  destination: string | null;
  version: string | null;
  secrets?: Record<string, string>;
  env?: Record<string, string>;
};

const vectors = readFileSync(new URL("../conformance/kamal-2.12-vectors.jsonl", import.meta.url), "utf8")
  .trim().split("\n").map((line) => JSON.parse(line) as Vector);
const unique = [...new Map(vectors.map((v) => [`${v.config_yaml_original ?? v.config_yaml}\0${v.config_destination_yaml ?? ""}\0${v.destination}`, v])).values()];

test.each(unique.map((v) => [v.id, v] as const))("%s", async (_id, v) => {
  const { config } = await loadConfigFromText({
    yaml: v.config_yaml_original ?? v.config_yaml,
    destinationYaml: v.config_destination_yaml ?? undefined,
    destination: v.destination ?? undefined,
    version: v.version ?? "999",
    secrets: v.secrets ?? {},
    env: v.env ?? {},
  });
  expect(config.service).toBeTruthy();
});
