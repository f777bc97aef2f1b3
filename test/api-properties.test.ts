// Property tests through the Node API's run() (issue 16): generated command lines end with an exit code from
// docs/exit-codes.md and never as a bug in sextant, and no config value carrying a shell metacharacter reaches a
// planned command where a shell would act on it. Seeded; in-process rather than subprocesses, to stay fast.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { run } from "../src/api.ts";
import { shellSplit } from "../src/secrets/shell-words.ts";

const SEED = 16;
const EXIT_CODES = [0, 1, 2, 3, 130];
// No PATH: nothing generated can start a local program, and every run is a dry run besides.
const env = { VERSION: "v1" };
const SECRETS = "KAMAL_REGISTRY_PASSWORD=pw\nRAILS_MASTER_KEY=key\nMYSQL_ROOT_PASSWORD=root\n";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-properties-"));
  dirs.push(dir);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

// The first run of a command pays for importing its modules, which is not what the 2 s limit is about.
beforeAll(async () => {
  const cwd = app({ "config/deploy.yml": JSON.stringify(valid()), ".kamal/secrets": SECRETS });
  for (const command of [["deploy"], ["redeploy"], ["rollback", "v0"], ["app", "details"], ["accessory", "boot", "all"]]) await run([...command, "--dry-run"], { cwd, env });
}, 30_000);

type Doc = Record<string, unknown>;
const valid = (): Doc => ({
  service: "app",
  image: "acme/app",
  servers: { web: { hosts: ["10.0.0.1"], labels: { team: "core" }, options: { memory: "1g" } }, jobs: { hosts: ["10.0.0.3"], cmd: "bin/jobs" } },
  proxy: { host: "app.example.com", app_port: 3000 },
  registry: { server: "registry.example.com", username: "deploy", password: ["KAMAL_REGISTRY_PASSWORD"] },
  env: { clear: { RAILS_ENV: "production" }, secret: ["RAILS_MASTER_KEY"] },
  volumes: ["/data:/data"],
  logging: { options: { "max-size": "10m" } },
  builder: { arch: "amd64", args: { RUBY_VERSION: "3.3" } },
  accessories: { db: { image: "mysql:8.0", host: "10.0.0.9", port: "3306", env: { secret: ["MYSQL_ROOT_PASSWORD"] }, directories: ["data:/var/lib/mysql"] } },
});

describe("command lines", () => {
  const words = fc.constantFrom(
    "deploy", "redeploy", "rollback", "app", "details", "boot", "logs", "exec", "lock", "acquire", "release", "status", "config",
    "accessory", "db", "nope", "secrets", "extract", "print", "proxy", "prune", "all", "version", "docs", "help", "audit",
    "-r", "web", "-h", "10.0.0.1", "-d", "staging", "-c", "-m", "--version", "--grep", "--since", "-p", "-q", "-v", "--json",
    "--roles=", "-r=[z-a]", "{[}]", "../../x", "--", "-", "-x", "--no-such", "$(id)", "a;b", "\0", "é", "w".repeat(2_000),
  );

  test("every generated command line exits with a documented code, never as a bug", async () => {
    const cwd = app({ "config/deploy.yml": JSON.stringify(valid()), "config/deploy.staging.yml": "{}\n", ".kamal/secrets": SECRETS });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 7 }), async (argv) => {
        const started = performance.now();
        const { exitCode, events } = await run([...argv, "--dry-run"], { cwd, env });
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(events.filter((e) => e.type === "error" && e.kind === "bug")).toEqual([]);
        expect(EXIT_CODES).toContain(exitCode);
      }),
      { seed: SEED, numRuns: 150 },
    );
  }, 60_000);
});

/**
 * Indices of `line` where a POSIX shell acts on a metacharacter: unquoted `; | & > < newline`, and `$(` or a
 * backtick unquoted or inside double quotes. Single quotes and backslashes make a character literal.
 */
function activeMetacharacters(line: string): Set<number> {
  const active = new Set<number>();
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    const substitution = c === "`" || (c === "$" && line[i + 1] === "(");
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (substitution) active.add(i);
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (substitution || ";|&<>\n".includes(c)) active.add(i);
  }
  return active;
}

/** Where `value` appears in `line` with its metacharacter live, looking inside `sh -c '...'` scripts too. */
function unquotedUses(line: string, value: string, meta: number): string[] {
  const active = activeMetacharacters(line);
  const found: string[] = [];
  for (let at = line.indexOf(value); at >= 0; at = line.indexOf(value, at + 1))
    if (active.has(at + meta)) found.push(line);
  const words = shellSplit(line);
  words.forEach((word, i) => {
    const script = words[i + 1];
    if (word === "-c" && script !== undefined && /(^|\/)(sh|bash)$/.test(words[i - 1] ?? "")) found.push(...unquotedUses(script, value, meta));
  });
  return found;
}

const METACHARACTERS = [";", "|", "&", "$(", "`", "\n", ">", "<"];
type Setting = readonly [name: string, put: (doc: Doc, value: string) => void];
const at = (doc: Doc, ...path: string[]): Doc => path.reduce((node, key) => node[key] as Doc, doc);
const renameKey = (node: Doc, from: string, to: string) => {
  node[to] = node[from];
  delete node[from];
};

// Settings whose values reach a host's shell. Each either is quoted by the command builders (as in Kamal) or is
// refused by the config check (src/config/rules-shell-safe.ts).
const SETTINGS: readonly Setting[] = [
  ["env/clear value", (doc, v) => (at(doc, "env", "clear").RAILS_ENV = v)],
  ["servers/web/labels value", (doc, v) => (at(doc, "servers", "web", "labels").team = v)],
  ["servers/web/options value", (doc, v) => (at(doc, "servers", "web", "options").memory = v)],
  ["proxy/host", (doc, v) => (at(doc, "proxy").host = v)],
  ["registry/username", (doc, v) => (at(doc, "registry").username = v)],
  ["builder/args value", (doc, v) => (at(doc, "builder", "args").RUBY_VERSION = v)],
  ["servers/web/hosts", (doc, v) => (at(doc, "servers", "web").hosts = [v])],
  ["servers role name", (doc, v) => renameKey(at(doc, "servers"), "jobs", v)],
  ["env/clear key", (doc, v) => renameKey(at(doc, "env", "clear"), "RAILS_ENV", v)],
  ["servers/web/labels key", (doc, v) => renameKey(at(doc, "servers", "web", "labels"), "team", v)],
  ["servers/web/options key", (doc, v) => renameKey(at(doc, "servers", "web", "options"), "memory", v)],
  ["logging/options key", (doc, v) => renameKey(at(doc, "logging", "options"), "max-size", v)],
  ["volumes", (doc, v) => (doc.volumes = [`/data:${v}`])],
  ["image", (doc, v) => (doc.image = `acme/${v}`)],
  ["registry/server", (doc, v) => (at(doc, "registry").server = v)],
  ["asset_path", (doc, v) => (doc.asset_path = `/app/${v}`)],
  ["accessories/db/port", (doc, v) => (at(doc, "accessories", "db").port = `${v}:3306`)],
  ["accessories/db/service", (doc, v) => (at(doc, "accessories", "db").service = v)],
  ["accessories/db/directories", (doc, v) => (at(doc, "accessories", "db").directories = [`${v}:/var/lib/mysql`])],
  ["accessories/db/image", (doc, v) => (at(doc, "accessories", "db").image = `mysql:${v}`)],
  ["builder/args key", (doc, v) => renameKey(at(doc, "builder", "args"), "RUBY_VERSION", v)],
  ["builder/dockerfile", (doc, v) => (at(doc, "builder").dockerfile = `docker/${v}`)],
  ["builder/target", (doc, v) => (at(doc, "builder").target = v)],
  ["proxy/run/version", (doc, v) => (at(doc, "proxy").run = { version: v })],
];

describe("shell metacharacters in settings", () => {
  test("the unchanged config plans a deploy, so the property below sees planned commands", async () => {
    const cwd = app({ "config/deploy.yml": JSON.stringify(valid()), ".kamal/secrets": SECRETS });
    const { exitCode, events } = await run(["deploy", "--dry-run"], { cwd, env });
    expect(exitCode).toBe(0);
    expect(events.filter((e) => e.type === "planned").length).toBeGreaterThan(20);
  });

  test("a value with a metacharacter is quoted in every planned command, or the config is refused", async () => {
    const unquoted = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SETTINGS), fc.constantFrom(...METACHARACTERS), async ([name, put], meta) => {
        const command = name.startsWith("accessories/") ? ["accessory", "boot", "all"] : ["deploy"];
        const value = `v${meta}w`;
        const doc = valid();
        put(doc, value);
        const cwd = app({ "config/deploy.yml": JSON.stringify(doc), ".kamal/secrets": SECRETS });
        const { exitCode, events } = await run([...command, "--dry-run"], { cwd, env });
        expect(events.filter((e) => e.type === "error" && e.kind === "bug")).toEqual([]);
        if (exitCode !== 0) return;
        for (const event of events)
          if (event.type === "planned")
            for (const line of unquotedUses(event.line, value, 1)) unquoted.set(`${name} ${JSON.stringify(meta)}`, line);
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect([...unquoted]).toEqual([]);
  }, 60_000);
});

describe("shell metacharacters in versions on the command line", () => {
  test("--version and rollback VERSION with a metacharacter are usage errors, and nothing is planned", async () => {
    const cwd = app({ "config/deploy.yml": JSON.stringify(valid()), ".kamal/secrets": SECRETS });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METACHARACTERS), fc.boolean(), async (meta, rollback) => {
        const value = `v${meta}w`;
        const argv = rollback ? ["rollback", value, "--dry-run"] : ["deploy", "--version", value, "--dry-run"];
        const { exitCode, events } = await run(argv, { cwd, env });
        expect({ exitCode, planned: events.filter((e) => e.type === "planned") }).toEqual({ exitCode: 2, planned: [] });
      }),
      { seed: SEED, numRuns: 16 },
    );
  });
});

describe("shell metacharacters in log options", () => {
  test("--since, --grep, --grep-options and --container-id are refused or planned where no shell acts on them", async () => {
    const cwd = app({ "config/deploy.yml": JSON.stringify(valid()), ".kamal/secrets": SECRETS });
    const options = ["--since", "--grep", "--grep-options", "--container-id"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...options), fc.constantFrom(...METACHARACTERS, "'", '"'), fc.boolean(), async (option, meta, follow) => {
        const value = `v${meta}w`;
        const { exitCode, events } = await run(["app", "logs", `${option}=${value}`, ...(follow ? ["-f"] : []), "--dry-run"], { cwd, env });
        const planned = events.flatMap((e) => (e.type === "planned" ? [e.line] : []));
        expect(EXIT_CODES).toContain(exitCode);
        // Refused (exit 2) plans nothing; accepted plans nothing a shell would act on.
        expect(exitCode === 2 ? planned : planned.flatMap((line) => unquotedUses(line, value, 1))).toEqual([]);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
