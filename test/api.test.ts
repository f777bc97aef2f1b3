import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, expectTypeOf, test } from "vitest";
import type * as Declared from "../src/api.cjs";
import * as api from "../src/api.ts";
import { configJsonSchema } from "../src/config/json-schema.ts";
import type { Issue } from "../src/errors.ts";
import type { Event } from "../src/output/events.ts";
import { appDir, ROOT } from "./cli/support.ts";

const fixture = (name: string) => resolve(ROOT, "fixtures/deploy", name);
const env = { PATH: process.env.PATH, SOURCE_DATE_EPOCH: "0" };

const valid = `service: blog
image: acme/blog
servers:
  - 10.0.0.1
registry:
  username: acme
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
`;

const dirs: string[] = [];
const app = (files: Record<string, string>) => {
  const dir = appDir(files);
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Type-only: `tsc --noEmit` fails when the shipped declarations (src/api.d.cts) drift from the code.
describe("declarations", () => {
  test("describe the module exactly", () => {
    expectTypeOf<Declared.Event>().toEqualTypeOf<Event>();
    expectTypeOf<Declared.Issue>().toEqualTypeOf<Issue>();
    // A CommonJS module seen from ESM also has a `default`: the whole module.
    expectTypeOf<keyof typeof api>().toEqualTypeOf<Exclude<keyof typeof Declared, "default">>();
    expectTypeOf(api.loadConfig).toEqualTypeOf<typeof Declared.loadConfig>();
    expectTypeOf(api.run).toEqualTypeOf<typeof Declared.run>();
    expectTypeOf(api.schemaPath).toEqualTypeOf<typeof Declared.schemaPath>();
  });
});

describe("loadConfig", () => {
  test("returns the merged config of a destination as `sextant config --json` data", async () => {
    const result = await api.loadConfig({ cwd: fixture("with-destinations"), destination: "staging", version: "v1", env });
    expect(result).toEqual({
      ok: true,
      config: {
        roles: ["jobs", "web"],
        hosts: ["10.8.0.2", "10.8.0.1"],
        primary_host: "10.8.0.1",
        version: "v1",
        repository: "registry.example.com/acme/billing",
        absolute_image: "registry.example.com/acme/billing:v1",
        service_with_version: "billing-v1",
        volume_args: [],
        ssh_options: { user: "root", port: 22, keepalive: true, keepalive_interval: 30, log_level: ":fatal" },
        sshkit: {},
        builder: { arch: "amd64" },
        logging: ["--log-opt", 'max-size="10m"'],
      },
      warnings: [],
    });
  });

  test("returns every problem of a broken config as issues, in file order", async () => {
    const cwd = app({ "config/deploy.yml": `${valid}proxy:\n  ssl: maybe\nregistri: {}\n` });
    expect(await api.loadConfig({ cwd, version: "v1", env })).toEqual({
      ok: false,
      issues: [
        {
          file: "config/deploy.yml",
          path: "proxy",
          message: "Must set a host to enable automatic SSL",
          fix: "add `host: app.example.com` (the name the certificate is for)",
          line: 11,
          column: 1,
        },
        {
          file: "config/deploy.yml",
          path: "proxy/ssl",
          message: "should be a boolean or a hash",
          fix: "write true, false, or `key: value` settings; `sextant docs proxy` describes it",
          line: 12,
          column: 3,
        },
        {
          file: "config/deploy.yml",
          path: "",
          message: "unknown key: registri",
          fix: "did you mean `registry`? `sextant docs` lists the keys",
          line: 13,
          column: 1,
        },
      ],
      warnings: [],
    });
  });

  test("reports a missing config file as an issue", async () => {
    const cwd = app({});
    expect(await api.loadConfig({ cwd, configFile: "deploy/app.yml", env })).toEqual({
      ok: false,
      issues: [
        {
          file: "deploy/app.yml",
          path: "",
          message: `Configuration file not found in ${cwd}/deploy/app.yml`,
          fix: "check the path given to -c, or run `sextant init`",
        },
      ],
      warnings: [],
    });
  });

  test("reports a version it cannot find as an issue, with the fix", async () => {
    const cwd = app({ "config/deploy.yml": valid });
    expect(await api.loadConfig({ cwd, env })).toEqual({
      ok: false,
      issues: [
        {
          file: "config/deploy.yml",
          path: "",
          message: `Can't use commit hash as version, no git repository found in ${cwd}`,
          fix: "pass --version VERSION or set VERSION, or deploy from a git repository with at least one commit",
        },
      ],
      warnings: [],
    });
  });

  test("a refused config comes back with what loading noticed first: an ERB command that failed", async () => {
    const cwd = app({ "config/deploy.yml": valid.replace("service: blog", "service: <%= `sh -c 'echo no vault >&2; exit 3'` %>") });
    const result = await api.loadConfig({ cwd, version: "v1", env });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.warnings).toEqual([expect.stringContaining("exited 3: no vault (its output is used anyway, as Ruby does)")]);
  });
});

describe("run", () => {
  test("returns a command's result as an event, and its exit code", async () => {
    const { exitCode, events } = await api.run(["version"], { env });
    expect(exitCode).toBe(0);
    expect(events).toEqual([
      { v: 1, ts: expect.any(String), type: "result", text: "dev", data: { version: "dev", kamal: "2.12.0" } },
      { v: 1, ts: expect.any(String), type: "info", message: "compatible with Kamal 2.12.0" },
      { v: 1, ts: expect.any(String), type: "run.end", exitCode: 0, seconds: expect.any(Number), hosts: [] },
    ]);
  });

  test("plans a dry-run deploy as events, connecting nowhere", async () => {
    const { exitCode, events } = await api.run(["deploy", "--dry-run", "-d", "staging", "--version", "v1", "-r", "web"], {
      cwd: fixture("with-destinations"),
      env: { ...env, KAMAL_REGISTRY_PASSWORD: "hunter2", RAILS_MASTER_KEY: "k" },
    });
    expect(exitCode).toBe(0);
    const planned = events.flatMap((e) => (e.type === "planned" ? [`${e.host}\t${e.line}`] : []));
    expect(planned).toContain("10.8.0.1\tdocker pull registry.example.com/acme/billing:v1");
    expect(planned.filter((line) => line.startsWith("10.8.0.2"))).toEqual([]);
    expect(JSON.stringify(events)).not.toContain("hunter2");
  });

  test("never asks the host process's stdin: a question without -y stops with exit 2 before anything is sent", async () => {
    const { exitCode, events } = await api.run(["remove", "--version", "v1"], { cwd: fixture("with-destinations"), env });
    expect(exitCode).toBe(2);
    expect(events.filter((e) => e.type === "command" || e.type === "planned")).toEqual([]);
    expect(events.find((e) => e.type === "error")).toMatchObject({
      kind: "UsageError",
      message: 'No answer to "This will remove all containers and images. Are you sure?": stdin is not a terminal and gave no answer',
    });
  });

  test("ends a run on a broken config with exit 2 and the issues in the error event", async () => {
    const cwd = app({ "config/deploy.yml": `${valid}registri: {}\n` });
    const { exitCode, events } = await api.run(["config", "--version", "v1"], { cwd, env });
    expect(exitCode).toBe(2);
    expect(events).toEqual([
      {
        v: 1,
        ts: expect.any(String),
        type: "error",
        kind: "ConfigError",
        message: "config/deploy.yml:11:1: unknown key: registri\n  fix: did you mean `registry`? `sextant docs` lists the keys",
        exitCode: 2,
        issues: [
          {
            file: "config/deploy.yml",
            path: "",
            message: "unknown key: registri",
            fix: "did you mean `registry`? `sextant docs` lists the keys",
            line: 11,
            column: 1,
          },
        ],
      },
      { v: 1, ts: expect.any(String), type: "run.end", exitCode: 2, seconds: expect.any(Number), hosts: [] },
    ]);
  });

  test("returns a help page as a result event", async () => {
    const { exitCode, events } = await api.run(["lock", "--help"], { env });
    expect(exitCode).toBe(0);
    expect(events.map((e) => e.type)).toEqual(["result", "run.end"]);
    expect(events[0]?.type === "result" && events[0].text).toMatch(/^Usage: sextant lock \[options\] \[command\]\n/);
  });

  test("ends an aborted run with exit 130, as Ctrl-C does", async () => {
    const controller = new AbortController();
    controller.abort();
    const { exitCode, events } = await api.run(["version"], { env, signal: controller.signal });
    expect(exitCode).toBe(130);
    expect(events.at(-2)).toEqual({ v: 1, ts: expect.any(String), type: "error", kind: "InterruptedError", message: "interrupted", exitCode: 130 });
    expect(events.at(-1)).toMatchObject({ type: "run.end", exitCode: 130 });
  });
});

test("schemaPath names the JSON Schema that `sextant config schema` prints", () => {
  expect(JSON.parse(readFileSync(api.schemaPath, "utf8"))).toEqual(configJsonSchema());
});
