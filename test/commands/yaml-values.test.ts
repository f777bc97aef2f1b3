// Plain YAML values reach hosts as Kamal sends them: Psych reads the value (Ruby 3.1, Psych 4:
// `YAML.unsafe_load(text)["V"].to_s`, written beside each row), Kamal's argumentize escapes it. Each case goes
// through the real loader and the command builders, and the rendered argument is compared.
import { describe, expect, test } from "vitest";
import * as app from "../../src/commands/app.ts";
import * as builder from "../../src/commands/builder.ts";
import { buildTarget } from "../../src/commands/builder-target.ts";
import { render } from "../../src/commands/shell.ts";
import { loadConfigFromText } from "../../src/config/load.ts";
import type { Config } from "../../src/config/model.ts";
import { ConfigError } from "../../src/errors.ts";

const BASE = "service: app\nimage: dhh/app\nservers: [1.1.1.1]\nregistry: {username: dhh, password: [PASS]}\n";

async function load(yaml: string): Promise<Config> {
  const { config } = await loadConfigFromText({ yaml: `${BASE}${yaml}`, version: "999", secrets: { PASS: "p" } });
  if (!config) throw new Error("no config");
  return config;
}

const runCommand = async (yaml: string) => {
  const config = await load(yaml);
  return render(app.run(config, config.roles[0]!, "1.1.1.1"));
};

/** The `--env V=...` argument Kamal puts before the env file, for `V: <written>`. */
async function envArgument(written: string): Promise<string> {
  const command = await runCommand(`builder: {arch: amd64}\nenv:\n  clear:\n    V: ${written}\n`);
  return /--env KAMAL_HOST="1\.1\.1\.1" (.*) --env-file /.exec(command)?.[1] ?? command;
}

describe("clear env values", () => {
  test.each([
    ["3.0", '--env V="3.0"'], // Ruby: 3.0 (Float#to_s keeps the .0)
    ["1.", '--env V="1.0"'], // Ruby: 1.0
    ["1.0e+3", '--env V="1000.0"'], // Ruby: 1000.0
    ["0.", '--env V="0.0"'], // Ruby: 0.0
    ['!!float "1"', '--env V="1.0"'], // Ruby: 1.0
    ["0.1", '--env V="0.1"'], // Ruby: 0.1
    ["1.0e+15", '--env V="1.0e+15"'], // Ruby: 1.0e+15 (exponent form from 1e15 up)
    ["999999999999999.0", '--env V="999999999999999.0"'], // Ruby: 999999999999999.0
    ["1.0e+16", '--env V="1.0e+16"'], // Ruby: 1.0e+16
    ["1.0e-5", '--env V="1.0e-05"'], // Ruby: 1.0e-05
    [".inf", '--env V="Infinity"'], // Ruby: Infinity
    ["1:30.5", '--env V="5430.0"'], // Ruby: 5430.0 (sexagesimal Float)
    ["1234567890123456789", '--env V="1234567890123456789"'], // Ruby: 1234567890123456789
    ["-99999999999999999999", '--env V="-99999999999999999999"'], // Ruby: -99999999999999999999
    ["-1:30", '--env V="-1800"'], // Ruby: -1800 (the sign belongs to the first part)
    [":info", '--env V="info"'], // Ruby: info (a Symbol; to_s drops the colon)
    [':"a b"', '--env V="a b"'], // Ruby: a b
    ["!ruby/symbol debug", '--env V="debug"'], // Ruby: debug
    ['":info"', '--env V=":info"'], // Ruby: :info (a quoted String keeps its colon)
    ["!!binary aGVsbG8=", '--env V="hello"'], // Ruby: hello
    ['"\\ufeff"', "--env V=\ufeff"], // Ruby: "\uFEFF" (not blank to ActiveSupport, so never a bare --env V)
    ['"\\u00a0"', "--env V"], // Ruby: "\u00A0" is blank ([[:space:]]): a bare --env V
    ["'.inf'", '--env V=".inf"'], // Ruby: .inf
    ["'it''s'", "--env V=\"it's\""], // Ruby: it's
    ["! 12", '--env V="12"'], // Ruby: 12 (the non-specific tag reads the scalar as plain)
  ])("V: %s", async (written, expected) => {
    expect(await envArgument(written)).toBe(expected);
  });
});

test("labels, docker options and build args carry Ruby's to_s too", async () => {
  const yaml = "builder: {arch: amd64, args: {RUBY_VERSION: 3.0, BUILD: 1234567890123456789}}\n" +
    "labels: {version: 2.0, level: :debug}\nservers:\n  web:\n    hosts: [1.1.1.1]\n    options: {cpus: 2.0}\n";
  const config = await load(yaml);
  const run = render(app.run(config, config.roles[0]!, "1.1.1.1"));
  expect(run).toContain('--label version="2.0" --label level="debug"'); // Ruby: 2.0, debug
  expect(run).toContain('--cpus "2.0"'); // Ruby: 2.0
  expect(render(builder.push(config, buildTarget(config, "amd64")))).toContain(
    '--build-arg RUBY_VERSION="3.0" --build-arg BUILD="1234567890123456789"'); // Ruby: 3.0, 1234567890123456789
});

test("a Float where Kamal wants an Integer is refused as Kamal refuses it", async () => {
  const error = await load("builder: {arch: amd64}\nproxy: {app_port: 80.0}\n").catch((err: unknown) => err);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual(["proxy/app_port: should be an integer"]);
});

describe("ERB output is read by the same YAML rules", () => {
  test.each([
    ["<%= 10 / 4.0 %>", '--env V="2.5"'], // Ruby: 2.5
    ["<%= 7.0 / 2 %>", '--env V="3.5"'], // Ruby: 3.5
    ["<%= 3.0 %>", '--env V="3.0"'], // Ruby: 3.0
    ["<%= 2 ** 64 %>", '--env V="18446744073709551616"'], // Ruby: 18446744073709551616
  ])("V: %s", async (written, expected) => {
    expect(await envArgument(written)).toBe(expected);
  });
});
