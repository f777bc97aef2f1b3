// `sextant secrets fetch` with each of the nine adapters, end to end: the built CLI runs the fake vendor CLIs in
// fixtures/bin through a real shell. A fake answers only the exact argument list it was scripted with (anything
// else exits 97), so a JSON answer proves the arguments; a vendor's failing exit code must fail the run with 1.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { json, on, vendorLab, type Rule } from "../secrets/vendor-lab.ts";
import { appDir, buildCli, cleanEnv, runCli } from "./support.ts";

vi.setConfig({ testTimeout: 30_000 });

let bin = "";
let cleanup = () => {};
beforeAll(() => ({ bin, cleanup } = buildCli()), 60_000);
afterAll(() => cleanup());

type Case = {
  args: string[];
  /** the sign-in checks, answered the same in both runs */
  ready: Rule[];
  /** the call that reads the secrets, and its answer */
  read: { cli: string; argv: string[]; stdout: unknown };
  expected: Record<string, string>;
  env?: Record<string, string>;
};

const opField = { label: "SECRET1", value: "VALUE1", reference: "op://myvault/myitem/section/SECRET1" };
const awsValue = { ARN: "arn:aws:secretsmanager:us-east-1:a:secret:db", Name: "db", SecretString: "a-string", VersionStages: ["AWSCURRENT"] };
const gcpPayload = { name: "projects/1/secrets/x/versions/1", payload: { data: Buffer.from("secret123").toString("base64"), dataCrc32c: "1" } };

const CASES: Record<string, Case> = {
  "1password": {
    args: ["--account", "myaccount", "--from", "op://myvault/myitem", "section/SECRET1"],
    ready: [on("op --version", { stdout: "2.30.0\n" }), on("op account get --account myaccount")],
    read: { cli: "op", argv: ["item", "get", "myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--fields", "label=section.SECRET1"], stdout: opField },
    expected: { "myvault/myitem/section/SECRET1": "VALUE1" },
  },
  bitwarden: {
    args: ["--account", "email@example.com", "mypassword"],
    ready: [on("bw --version"), on("bw status", { stdout: '{"status":"unlocked"}\n' }), on("bw sync")],
    read: { cli: "bw", argv: ["get", "item", "mypassword"], stdout: { login: { username: null, password: "secret123" } } },
    expected: { mypassword: "secret123" },
  },
  "bitwarden-sm": {
    args: ["82aeb5bd-6958-4a89-8197-eacab758acce"],
    ready: [on("bws --version"), on("bws project list", { stdout: "OK" })],
    read: { cli: "bws", argv: ["secret", "get", "82aeb5bd-6958-4a89-8197-eacab758acce"], stdout: { key: "SSH_KEY", value: "line1\nline2" } },
    expected: { SSH_KEY: "line1\nline2" },
    env: { BWS_ACCESS_TOKEN: "bws-token" },
  },
  aws_secrets_manager: {
    args: ["--account", "default", "db"],
    ready: [on("aws --version")],
    read: { cli: "aws", argv: ["secretsmanager", "batch-get-secret-value", "--secret-id-list", "db", "--profile", "default", "--output", "json"], stdout: { SecretValues: [awsValue], Errors: [] } },
    expected: { db: "a-string" },
  },
  gcp: {
    args: ["--account", "default", "mypassword"],
    ready: [on("gcloud --version"), json("gcloud", ["auth", "list", "--format=json"], [{ account: "email@example.com", status: "ACTIVE" }])],
    read: { cli: "gcloud", argv: ["secrets", "versions", "access", "latest", "--secret=mypassword", "--format=json"], stdout: gcpPayload },
    expected: { "default/mypassword": "secret123" },
  },
  lastpass: {
    args: ["--account", "email@example.com", "--from", "FOLDER1", "FSECRET1"],
    ready: [on("lpass --version"), on("lpass status --color never", { stdout: "Logged in as email@example.com.\n" })],
    read: { cli: "lpass", argv: ["show", "FOLDER1/FSECRET1", "--json"], stdout: [{ id: "1", name: "FSECRET1", fullname: "FOLDER1/FSECRET1", username: "", password: "fsecret1" }] },
    expected: { "FOLDER1/FSECRET1": "fsecret1" },
  },
  doppler: {
    args: ["--from", "my-project/prd", "SECRET1"],
    ready: [on("doppler --version"), on("doppler me --json")],
    read: { cli: "doppler", argv: ["secrets", "get", "SECRET1", "--json", "-p", "my-project", "-c", "prd"], stdout: { SECRET1: { computed: "secret1", computedVisibility: "unmasked", note: "" } } },
    expected: { SECRET1: "secret1" },
  },
  enpass: {
    args: ["--from", "vault-path", "FooBar/SECRET_1"],
    ready: [on("enpass-cli version")],
    read: { cli: "enpass-cli", argv: ["-json", "-vault", "vault-path", "show", "FooBar"], stdout: [{ category: "computer", label: "SECRET_1", login: "", password: "pw-1", title: "FooBar", type: "password" }] },
    expected: { "FooBar/SECRET_1": "pw-1" },
  },
  passbolt: {
    args: ["SECRET1"],
    ready: [on("passbolt --version"), on("passbolt verify")],
    read: { cli: "passbolt", argv: ["list", "resources", "--filter", 'Name == "SECRET1"', "--column", "name", "--column", "password", "--json"], stdout: [{ id: "id-1", folder_parent_id: "", name: "SECRET1", username: "", password: "secret1" }] },
    expected: { SECRET1: "secret1" },
  },
};

function fetch(adapter: string, c: Case, read: Rule, extra: string[] = []) {
  const lab = vendorLab([...c.ready, read], { env: c.env });
  const run = runCli(bin, ["secrets", "fetch", "--adapter", adapter, ...c.args, ...extra], { cwd: appDir(), env: cleanEnv(lab.env) });
  return { lab, run };
}

describe("sextant secrets fetch with each adapter's CLI on PATH", () => {
  for (const [adapter, c] of Object.entries(CASES)) {
    test(`${adapter}: exact arguments give the secrets as JSON`, async () => {
      const { lab, run } = fetch(adapter, c, json(c.read.cli, c.read.argv, c.read.stdout));
      expect(await run).toEqual({ code: 0, stdout: `${JSON.stringify(c.expected)}\n`, stderr: "" });
      const last = lab.calls().at(-1);
      expect(last?.argv).toEqual([c.read.cli, ...c.read.argv]);
      if (c.env) expect(last?.env).toEqual(c.env);
    });

    test(`${adapter}: the vendor CLI exiting 3 fails the run with exit 1 and a message`, async () => {
      const failing: Rule = { cli: c.read.cli, argv: c.read.argv, replies: [{ stderr: "vendor says no\n", code: 3 }] };
      const { code, stdout, stderr } = await fetch(adapter, c, failing).run;
      expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
      // The vendor's own stderr is kept, after what could not be read, and a fix follows.
      expect(stderr).toMatch(/^✗ Could not read .+: vendor says no\n {2}fix: /);
    });
  }

  test("--dry-run still fetches: reading secrets changes nothing", async () => {
    const c = CASES.doppler as Case;
    const { run } = fetch("doppler", c, json(c.read.cli, c.read.argv, c.read.stdout), ["--dry-run"]);
    expect(await run).toEqual({ code: 0, stdout: '{"SECRET1":"secret1"}\n', stderr: "" });
  });

  test("a service token in DOPPLER_TOKEN reaches doppler, which then needs no project", async () => {
    const c: Case = { ...(CASES.doppler as Case), args: ["SECRET1"], env: { DOPPLER_TOKEN: "dp.st.token" } };
    const read = json("doppler", ["secrets", "get", "SECRET1", "--json"], (CASES.doppler as Case).read.stdout);
    const { lab, run } = fetch("doppler", c, read);
    expect((await run).code).toBe(0);
    expect(lab.calls().at(-1)?.env).toEqual({ DOPPLER_TOKEN: "dp.st.token" });
  });
});

const DEPLOY = "service: app\nimage: dhh/app\nservers: [1.1.1.1]\nregistry:\n  username: u\n  password: [A]\nbuilder:\n  arch: amd64\n";

describe("sextant secrets print and extract with --dry-run", () => {
  test("print resolves the secrets files as without --dry-run", async () => {
    const dir = appDir({ "config/deploy.yml": DEPLOY, ".kamal/secrets": "A=1\nB=$A-2\n" });
    expect(await runCli(bin, ["secrets", "print", "--dry-run"], { cwd: dir, env: cleanEnv() })).toEqual({ code: 0, stdout: "A=1\nB=1-2\n", stderr: "" });
  });

  test("extract prints the value", async () => {
    const run = await runCli(bin, ["secrets", "extract", "B", '{"A":"1","x/B":"2"}', "--dry-run"], { cwd: appDir(), env: cleanEnv() });
    expect(run).toEqual({ code: 0, stdout: "2\n", stderr: "" });
  });
});
