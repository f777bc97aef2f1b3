// Kamal 2.12's CLI tests (the 168 `cli` conformance vectors) against sextant's real flows. Kamal runs them with
// SSHKit's printer backend: nothing runs, every command is printed as `Running CMD on HOST` (or `as USER@localhost`)
// and every capture answers "". That is what `--dry-run` does with the Recorder, so each vector runs in-process
// with --dry-run, the recorded calls are printed the way the printer prints them, and the vector's substrings and
// regexes are matched against that text plus sextant's narration. Where sextant differs from Kamal on purpose,
// DIFFERENCES says why; those vectors must still fail, so the list cannot go stale. docs/decisions.md has the
// rest. To see what a failing vector got: SEXTANT_CLI_VECTOR_REPORT=/tmp/report.txt npx vitest run <this file>.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import { runCli } from "../../src/cli/run.ts";
import type { Answer, Call, Recorder } from "../../src/exec/recorder.ts";
import { createReporter } from "../../src/output/create.ts";
import { event } from "../../src/output/events.ts";
import { Readable } from "node:stream";

// The dry-run executor of each run, kept so its calls (upload bodies included) can be printed; the factory is the
// real one, observed, not replaced. `answers` are the current vector's stubs.
const { recorders, answers } = vi.hoisted(() => ({ recorders: [] as Recorder[], answers: [] as Answer[] }));
vi.mock("../../src/exec/create.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/exec/create.ts")>();
  return {
    ...real,
    createExecutor: (o: Parameters<typeof real.createExecutor>[0]) => {
      const ex = real.createExecutor(o) as Recorder;
      for (const answer of answers) ex.answer(answer);
      recorders.push(ex);
      return ex;
    },
  };
});

type CliVector = {
  kind: "cli";
  id: string;
  operation: string;
  cli_args: string[];
  config_file: string;
  config_yaml: string;
  config_destination_yaml?: string;
  destination: string | null;
  env: Record<string, string>;
  secrets_files?: Record<string, string>;
  local_files?: Record<string, string>;
  expected: string[];
  expected_regex?: string[];
  expected_regex_flags?: string[];
  expected_absent?: string[];
  expected_absent_regex?: string[];
  expected_absent_regex_flags?: string[];
};

const vectors = readFileSync(new URL("./kamal-2.12-vectors.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as { kind: string })
  .filter((v): v is CliVector => v.kind === "cli");

/** Kamal's CLI class → sextant's command group. */
const GROUPS: Record<string, string[]> = {
  Main: [],
  App: ["app"],
  Accessory: ["accessory"],
  Build: ["build"],
  Proxy: ["proxy"],
  Registry: ["registry"],
  Prune: ["prune"],
  Server: ["server"],
  Lock: ["lock"],
};

/**
 * Vectors where sextant differs from Kamal on purpose: id → why. Each still runs, and must fail, so an entry
 * that starts passing (the difference went away) fails the suite until it is removed.
 */
const DIFFERENCES: Record<string, string> = {
  "cli/app/boot_with_error_pages":
    "error pages are uploaded file by file into error_pages/<version>/, not staged in a temporary directory and copied recursively; the host gets the same files",
  "cli/main/rollback_bad_version":
    "a dry run assumes the version's containers exist and shows the rollback a real run would do (docs/decisions.md)",
  ...Object.fromEntries(
    ["cli/prune/images", "cli/prune/containers#1", "cli/prune/containers#2", "cli/proxy/upgrade"].map((id) => [
      id,
      "prune follows Kamal after 2.12 (#1922, #1923): stopped containers are kept per destination (`--filter label=destination=`), and every latest tag survives an image prune; test/commands/conformance.test.ts pins the lines",
    ]),
  ),
  "cli/app/boot_with_only_workers":
    "a dry run observes no health check, so it says the first container is \"assumed healthy\" where Kamal's printer, answered by the test's stubs, says \"healthy\"",
};

/** `capture_with_info` answers Kamal's tests stub in (mocha), as Recorder answers: id → answers. */
const RUNNING_123: Answer[] = [{ match: () => true, result: { stdout: "123\n" } }];
const CURRENT_VERSION = "| while read line; do echo ${line#app-web-}; done";
const STUBS: Record<string, Answer[]> = {
  "cli/app/boot": RUNNING_123,
  "cli/app/boot_with_error_pages": RUNNING_123,
  "cli/app/boot_with_custom_ssl_certificate": RUNNING_123,
  "cli/app/boot_proxy": RUNNING_123,
  "cli/app/boot_proxy_with_role_specific_config": RUNNING_123,
  "cli/app/start": [{ match: () => true, result: { stdout: "999\n" } }],
  ...Object.fromEntries(
    ["boot_will_rename_if_same_version_is_already_running", "boot_with_assets", "boot_with_host_tags"].map((test) => [
      `cli/app/${test}`,
      [
        { match: "--filter 'name=^app-web-latest$' --quiet", result: { stdout: "12345678\n" } },
        { match: CURRENT_VERSION, result: { stdout: "123\n" } },
      ],
    ]),
  ),
  "cli/app/boot_with_only_workers": [
    { match: "| xargs docker inspect --format", result: { stdout: "running\n" } },
    { match: () => true, result: { stdout: "123\n" } },
  ],
  ...Object.fromEntries(
    ["stale_containers", "stop_stale_containers"].map((test) => [
      `cli/app/${test}`,
      [
        { match: `--format "{{.Names}}" ${CURRENT_VERSION}`, result: { stdout: "12345678\n87654321\n" } },
        { match: CURRENT_VERSION, result: { stdout: "12345678\n" } },
      ],
    ]),
  ),
  "cli/main/rollback_good_version": [
    // the version's container exists; the clash check during the boot then finds none
    ...["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"].map((host) => ({
      host, match: /--filter 'name=\^app-\w+-123\$' --quiet$/, result: { stdout: "version-to-rollback\n" }, times: 1,
    })),
    { match: "| xargs docker inspect --format", result: { stdout: "running\n" } },
    { match: /\| while read line; do echo \$\{line#app-\w+-\}; done$/, result: { stdout: "version-to-rollback\n" } },
  ],
  "cli/main/deploy_with_lock_wait_retries_and_acquires_lock_when_freed": [
    { match: "mkdir .kamal/lock-app", result: { code: 1, stderr: "mkdir: cannot create directory ‘.kamal/lock-app’: File exists" }, times: 2 },
    { match: "cat .kamal/lock-app/details | base64 -d", result: { stdout: "Locked by: alice\nVersion: 999\nMessage: Automatic deploy lock" } },
  ],
  ...Object.fromEntries(
    ["upgrade", "upgrade_rolling"].map((test) => [
      `cli/proxy/${test}`,
      [
        { match: "docker inspect kamal-proxy --format", result: { stdout: "v0.9.2\n" } },
        { match: "| xargs docker inspect --format", result: { stdout: "running\n" } },
        { match: () => true, result: { stdout: "12345678\n" } },
      ],
    ]),
  ),
  "cli/server/running_a_command_with_exec": [{ match: "date", result: { stdout: "Today" } }],
  "cli/server/running_a_command_with_exec_multiple_arguments": [{ match: "date -j", result: { stdout: "Today" } }],
  "cli/build/details": [{ match: "docker context ls && docker buildx ls", result: { stdout: "docker builder info" } }],
  "cli/build/pull_with_mirror": [{ match: "docker info --format", result: { stdout: "registry-mirror.example.com" } }],
  "cli/build/pull_with_mirrors": [
    { match: "docker info --format", result: { stdout: "registry-mirror.example.com" }, times: 1 },
    { match: "docker info --format", result: { stdout: "registry-mirror2.example.com" } },
  ],
  ...Object.fromEntries(
    ["push_without_builder", "push_without_builder_for_local_registry"].map((test) => [
      `cli/build/${test}`,
      [{ match: /^docker buildx inspect /, result: { code: 1, stderr: "no builder" } }],
    ]),
  ),
  "cli/build/push_resetting_clone": [
    { match: / clone .* --recurse-submodules$/, result: { code: 128, stderr: "fatal: destination path 'kamal' already exists and is not an empty directory" }, times: 1 },
  ],
  "cli/build/create_with_error": [{ match: /^docker /, result: { code: 1, stderr: "error" } }],
};

/**
 * What Kamal's tests set up around a vector beyond its fixture: files (`with_error_pages`), and config for
 * what they stub on the configuration object (`custom_ssl_certificate?` with fixed PEM contents).
 */
const SETUP: Record<string, { files?: Record<string, string>; yaml?: (yaml: string) => string }> = {
  "cli/app/boot_with_error_pages": { files: { "public/404.html": "404 page", "public/503.html": "503 page" } },
  "cli/app/boot_with_custom_ssl_certificate": {
    files: { ".kamal/secrets": "CERTIFICATE_PEM=CERTIFICATE CONTENT\nPRIVATE_KEY_PEM=PRIVATE KEY CONTENT\n" },
    yaml: (yaml) => `${yaml}\nproxy:\n  host: app.example.com\n  ssl:\n    certificate_pem: CERTIFICATE_PEM\n    private_key_pem: PRIVATE_KEY_PEM\n`,
  },
};

const HOOKS = ["pre-connect", "pre-build", "pre-deploy", "post-deploy", "pre-app-boot", "post-app-boot", "pre-proxy-reboot", "post-proxy-reboot", "docker-setup"];

/**
 * A recorded line as the vectors are matched: without SSHKit's /usr/bin/env prefix (the harness strips it on both
 * sides), and with `docker login`'s password shown as Kamal shows it: sextant feeds it on stdin (`--password-stdin`)
 * where Kamal passes `-p`, and the printer redacts either way.
 */
const printed = (line: string) => line.replace(/^\/usr\/bin\/env /, "").replace(/^(docker login .*-u \S+) --password-stdin$/, "$1 -p [REDACTED]");

/**
 * A call as SSHKit's printer shows it; interactive and followed sessions the way Kamal starts them, with `ssh -t`.
 * Uploads show what reaches the host, secrets included (sextant's own output never does); Kamal uploads a plain
 * local file by its path, so a body that is exactly one of `localFiles` shows as that path.
 */
function kamalPrinted(c: Call, localFiles: Readonly<Record<string, string>>, verbose: boolean): string {
  if (c.upload) {
    const body = typeof c.upload.body === "string" ? c.upload.body : c.upload.body.reveal();
    const file = Object.entries(localFiles).find(([, content]) => content === body)?.[0];
    return `Uploading ${file ?? JSON.stringify(body)} to ${c.upload.path} on ${c.host}`;
  }
  if (c.kind === "interactive" || c.kind === "follow") return `ssh -t root@${c.host} -p 22 '${printed(c.line).replaceAll("'", "'\\''")}'`;
  const running = c.host === "local" ? `Running ${printed(c.line)} as user@localhost` : `Running ${printed(c.line)} on ${c.host}`;
  // under --verbose SSHKit also logs each command at DEBUG level
  return verbose ? `${running}\nCommand: ${printed(c.line)}` : running;
}

type Run = { text: string; error: unknown; dir: string };

/** sextant's narration (its --json events) in the shape of Kamal's log: steps as said, log lines with their level. */
function kamalLogged(line: string): string {
  const e = event.parse(JSON.parse(line));
  switch (e.type) {
    case "step.start":
      return e.title;
    case "info":
      return `INFO ${e.message}`;
    case "warn":
      return `WARN ${e.message}`;
    case "error":
      return `ERROR ${e.message}`;
    case "result":
    case "output":
      return e.text;
    default:
      return ""; // commands: the Recorder's calls above say more
  }
}

async function runVector(v: CliVector): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cli-vector-"));
  try {
    const write = (path: string, body: string, mode = 0o644) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), body, { mode });
    };
    const setup = SETUP[v.id] ?? {};
    write(v.config_file, setup.yaml ? setup.yaml(v.config_yaml) : v.config_yaml);
    if (v.config_destination_yaml && v.destination)
      write(v.config_file.replace(/\.yml$/, `.${v.destination}.yml`), v.config_destination_yaml);
    for (const [path, body] of Object.entries(v.local_files ?? {})) write(path, body);
    for (const [path, body] of Object.entries({ ...v.secrets_files, ...setup.files })) write(path, body);
    // Kamal's CLI tests stub every hook as present; the printer shows them run.
    for (const hook of HOOKS) write(`.kamal/hooks/${hook}`, "#!/bin/sh\n", 0o755);

    let events = "";
    const sink = { write: (s: string) => ((events += s), true) };
    const reporter = createReporter({ json: true, verbosity: "verbose", noColor: true, version: "test", stdout: sink, stderr: sink });
    const group = GROUPS[/Kamal::Cli::(\w+)\.start/.exec(v.operation)?.[1] ?? ""] ?? [];
    const env = { PATH: process.env.PATH, HOME: dir, SOURCE_DATE_EPOCH: "1700000000", ...v.env };
    const io = { cwd: dir, env, stdout: sink, stderr: sink, signal: new AbortController().signal, stdin: Readable.from([]) };
    recorders.length = 0;
    answers.splice(0, answers.length, ...(STUBS[v.id] ?? []));
    let error: unknown;
    try {
      await runCli([...group, ...v.cli_args, "--dry-run"], io, reporter, "test");
    } catch (err) {
      error = err;
    }
    const lines = recorders.flatMap((r) => r.calls().map((c) => kamalPrinted(c, v.local_files ?? {}, v.cli_args.includes("--verbose"))));
    return { text: `${lines.join("\n")}\n${events.split("\n").filter(Boolean).map(kamalLogged).join("\n")}\n`, error, dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ruby regexps: `^`/`$` always match at lines (JS m), Ruby's m is JS s. */
const rubyRegex = (source: string, flags = "") => new RegExp(source, `m${flags.includes("m") ? "s" : ""}${flags.includes("i") ? "i" : ""}`);

/** Kamal's tests interpolate machine paths into some regexes; the vectors hold placeholders for them. */
function withPlaceholders(source: string, dir: string): string {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return source
    .replaceAll("{{TMPDIR}}", literal(tmpdir()))
    .replaceAll("{{PWD_SHA}}", createHash("sha256").update(dir).digest("hex").slice(0, 13))
    .replaceAll("{{PWD}}", literal(dir));
}

/** What of the vector does not hold for `text` (from a run in `dir`); empty when it all does. */
function mismatches(v: CliVector, text: string, dir: string): string[] {
  const plain = (s: string) => printed(s).replaceAll(" /usr/bin/env ", " ");
  const flat = text.replaceAll(" /usr/bin/env ", " ");
  const problems: string[] = [];
  for (const s of v.expected) if (!flat.includes(plain(s))) problems.push(`missing: ${s}`);
  for (const [i, r] of (v.expected_regex ?? []).entries())
    if (!rubyRegex(withPlaceholders(r.replaceAll("/usr/bin/env ", ""), dir), v.expected_regex_flags?.[i]).test(flat)) problems.push(`no match: /${r}/`);
  for (const s of v.expected_absent ?? []) if (flat.includes(plain(s))) problems.push(`present: ${s}`);
  for (const [i, r] of (v.expected_absent_regex ?? []).entries())
    if (rubyRegex(r.replaceAll("/usr/bin/env ", ""), v.expected_absent_regex_flags?.[i]).test(flat)) problems.push(`matches: /${r}/`);
  return problems;
}

const failures: string[] = [];
afterAll(() => {
  if (process.env.SEXTANT_CLI_VECTOR_REPORT) writeFileSync(process.env.SEXTANT_CLI_VECTOR_REPORT, failures.join("\n\n"));
});

describe("Kamal 2.12 CLI vectors through --dry-run", () => {
  test.each(vectors.map((v) => [v.id, v] as const))("%s", async (_id, v) => {
    const { text, error, dir } = await runVector(v);
    const problems = mismatches(v, text, dir);
    if (problems.length > 0) failures.push(`${v.id} (${v.cli_args.join(" ")})\n  ${problems.join("\n  ")}${error ? `\n  error: ${String(error)}` : ""}\n  ---- output:\n${text.replace(/^/gm, "    | ")}`);
    const why = DIFFERENCES[v.id];
    if (why === undefined) expect(problems, `${error ? `run failed: ${String(error)}\n` : ""}${text}`).toEqual([]);
    else expect(problems, `listed as a difference (${why}) but now matches Kamal: remove it from DIFFERENCES`).not.toEqual([]);
  });
});
