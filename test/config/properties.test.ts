// Property tests over what users write (issue 16): mutated configs, secrets files and ERB tags either load or are
// refused with a SextantError, and never take more than 2 s. Seeded, so a failure replays exactly; fast-check
// prints the seed and the shrunk input.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseDotenv } from "../../src/config/dotenv.ts";
import { renderErb } from "../../src/config/erb.ts";
import type { ShellCapture } from "../../src/config/erb/runtime.ts";
import { loadConfigFromText } from "../../src/config/load.ts";
import { SextantError } from "../../src/errors.ts";

const SEED = 16;
const LIMIT_MS = 2_000;
// Backtick commands and a fallback to Ruby must not run generated text: this shell has nothing on it.
const noShell: ShellCapture = async () => ({ stdout: "", stderr: "sh: not found", code: 127 });

/** Runs `work`; anything thrown that is not a SextantError is a bug in sextant, and so is a slow answer. */
async function settles(work: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    if (!(error instanceof SextantError)) throw error;
  }
  expect(performance.now() - started).toBeLessThan(LIMIT_MS);
}

const VALID = {
  service: "app",
  image: "acme/app",
  servers: { web: { hosts: ["10.0.0.1", "10.0.0.2"], labels: { team: "core" } }, jobs: { hosts: ["10.0.0.3"], cmd: "bin/jobs" } },
  proxy: { host: "app.example.com", app_port: 3000 },
  registry: { server: "registry.example.com", username: "deploy", password: ["KAMAL_REGISTRY_PASSWORD"] },
  env: { clear: { RAILS_ENV: "production" }, secret: ["RAILS_MASTER_KEY"] },
  volumes: ["/data:/data"],
  builder: { arch: "amd64", args: { RUBY_VERSION: "3.3" } },
  accessories: { db: { image: "mysql:8.0", host: "10.0.0.9", port: "3306", directories: ["data:/var/lib/mysql"] } },
};
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ODD_STRINGS = [
  "", " ", "~", "null", "yes", "0x1F", "1e400", "-.inf", ".nan", "a;b", "$(id)", "`id`", "a\nb", "a\0b", "\uFFFD", "\u{1F600}",
  "'", '"', "\\", "<%= 1 %>", "*x", "&x", "!!binary", "%", "constructor", "__proto__", "toString", "x".repeat(5_000),
];
const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...ODD_STRINGS, null, true, false, 0, -1, 1.5, 2 ** 53, [], {}),
  fc.string({ maxLength: 20 }),
  fc.integer(),
);

/** Replaces, renames or retypes one value somewhere in `doc`, chosen by `path` (indices into the tree). */
function mutate(doc: Json, path: readonly number[], change: (value: Json, key: string) => [string, Json]): Json {
  if (doc === null || typeof doc !== "object") return change(doc, "")[1];
  const entries: [string, Json][] = Array.isArray(doc) ? doc.map((v, i) => [String(i), v]) : Object.entries(doc);
  if (entries.length === 0 || path.length === 0) return change(doc, "")[1];
  const index = path[0]! % entries.length;
  const [key, value] = entries[index]!;
  const deeper = path.length > 1 && value !== null && typeof value === "object";
  const [newKey, newValue] = deeper ? [key, mutate(value, path.slice(1), change)] : change(value, key);
  if (Array.isArray(doc)) return doc.map((v, i) => (i === index ? newValue : v));
  return Object.fromEntries(entries.map(([k, v], i) => (i === index ? [newKey, newValue] : [k, v])));
}

const mutation = fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), scalar, fc.constantFrom("value", "key", "wrap"));
const mutatedConfig = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) =>
  mutations.reduce<Json>((doc, [path, replacement, how]) =>
    mutate(doc, path, (value, key) => {
      if (how === "key") return [typeof replacement === "string" ? replacement : `${key}_`, value];
      if (how === "wrap") return [key, [value]];
      return [key, replacement];
    }), VALID),
);

// Text-level damage that JSON cannot express: odd bytes, YAML tags, anchors and aliases, deep nesting, ERB.
const yamlDamage = fc.constantFrom(
  (text: string) => text.replace("acme/app", "!!binary aGVsbG8="),
  (text: string) => text.replace("acme/app", "!ruby/object:Foo {}"),
  (text: string) => text.replace("acme/app", "*nowhere"),
  (text: string) => `x-a: &a [${"x,".repeat(9)}x]\nx-b: &b [${"*a,".repeat(9)}*a]\nx-c: &c [${"*b,".repeat(9)}*b]\nx-d: [${"*c,".repeat(9)}*c]\n${text}`,
  (text: string) => `${text}\nx-deep: ${"[".repeat(1_000)}`,
  (text: string) => text.replace("app", "a\uFFFEp\u0000"),
  (text: string) => text.replace("app", "<%= \"a\" * -1 %>"),
  (text: string) => text.replace("app", "<% 100_000_000.times { } %>app"),
  (text: string) => text.replace("app", "<%= `id` %>"),
  (text: string) => text.replaceAll("\n", "\r"),
  (text: string) => text.slice(0, Math.floor(text.length / 2)),
  (text: string) => text,
);

// Each run must settle within 2 s (settles()); the 300 runs together get far more than vitest's 5 s, which a busy
// machine overruns without any run being slow.
const RUNS_TIMEOUT_MS = 120_000;

describe("config/deploy.yml", () => {
  test("a mutated config loads or is refused with a SextantError, within 2 s", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedConfig, yamlDamage, async (doc, damage) => {
        // JSON is YAML; the damage works on the text.
        const yaml = damage(JSON.stringify(doc, null, 1));
        await settles(() => loadConfigFromText({ yaml, version: "v1", secrets: { KAMAL_REGISTRY_PASSWORD: "pw", RAILS_MASTER_KEY: "k" }, env: {}, shell: noShell }));
      }),
      { seed: SEED, numRuns: 300 },
    );
  }, RUNS_TIMEOUT_MS);
});

describe(".kamal/secrets", () => {
  const line = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.constantFrom(...ODD_STRINGS, "'a", '"a', "${A}", "$A", "\\$(x)", "$(kamal secrets fetch)", "$(kamal secrets extract A '{')"))
      .map(([key, value]) => `${key}=${value}`),
  );
  test("a generated secrets file parses or is refused with a SextantError, within 2 s", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), async (lines) => {
        await settles(() => parseDotenv(lines.join("\n"), {
          file: ".kamal/secrets",
          env: {},
          runCommand: async () => { throw new SextantError("commands do not run in this test"); },
        }));
      }),
      { seed: SEED, numRuns: 300 },
    );
  }, RUNS_TIMEOUT_MS);
});

describe("ERB", () => {
  const ruby = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      '"a" * -1', '"a" * 10_000_000_000', "1 / 0", "raise 'x'", "throw :x", "[] .fetch(3)", 'ENV.fetch("NOPE")', "nil.upcase",
      "10**10**10", '"%s" % []', "(1..Float::INFINITY).to_a", "loop { }", "1_000_000_000.times { }", "`id`", "%x(id)",
      "Integer('x')", "[1] * -1", "'a'.center(2**40)", "{}.fetch(:a)", "def x; end", "BEGIN { }", "__END__",
    ),
  );
  const template = fc.array(fc.tuple(fc.constantFrom("<%= ", "<% ", "<%# ", "<%- ", "<%% "), ruby, fc.constantFrom(" %>", " -%>", "")), { minLength: 1, maxLength: 3 })
    .map((tags) => tags.map((parts) => parts.join("")).join("\n"));

  test("a generated tag renders or is refused with a SextantError, within 2 s", async () => {
    await fc.assert(
      fc.asyncProperty(template, async (text) => {
        await settles(() => renderErb(text, { file: "config/deploy.yml", cwd: process.cwd(), env: {}, shell: noShell, arch: "amd64" }));
      }),
      { seed: SEED, numRuns: 300 },
    );
  }, RUNS_TIMEOUT_MS);
});
