import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab, type Rule } from "./vendor-lab.ts";

const authenticated = [on("gcloud --version"), json("gcloud", ["auth", "list", "--format=json"], [{ account: "email@example.com", status: "ACTIVE" }])];
const payload = (text: string) => ({ name: "projects/1/secrets/x/versions/1", payload: { data: Buffer.from(text).toString("base64"), dataCrc32c: "1" } });
const access = (args: string, text: string): Rule => json("gcloud", ["secrets", "versions", "access", ...args.split(" "), "--format=json"], payload(text));

async function fetch(lab: Lab, names: string[], opts: { from?: string; account?: string } = {}) {
  return Object.fromEntries(await fetchSecrets({ adapter: "gcp", account: "default", ...opts, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("a bare name reads the latest version in the default project", async () => {
  const lab = vendorLab([...authenticated, access("latest --secret=mypassword", "secret123")]);
  expect(await fetch(lab, ["mypassword"])).toEqual({ "default/mypassword": "secret123" });
  expect(lab.lines).toEqual([
    "gcloud --version 2> /dev/null", "gcloud auth list --format=json", "gcloud secrets versions access latest --secret=mypassword --format=json",
  ]);
});

test("--from is the project", async () => {
  const lab = vendorLab([
    ...authenticated,
    access("latest --secret=item1 --project=other-project", "secret1"),
    access("latest --secret=item2 --project=other-project", "secret2"),
  ]);
  expect(await fetch(lab, ["item1", "item2"], { from: "other-project" })).toEqual({ "other-project/item1": "secret1", "other-project/item2": "secret2" });
});

test("names may carry their project and version", async () => {
  const lab = vendorLab([
    ...authenticated,
    access("latest --secret=item1 --project=some-project", "secret1"),
    access("123 --secret=item2 --project=project-confidence", "secret2"),
  ]);
  expect(await fetch(lab, ["some-project/item1", "project-confidence/item2/123"])).toEqual({
    "some-project/item1": "secret1", "project-confidence/item2": "secret2",
  });
});

test("a user account and an impersonation chain become --account and --impersonate-service-account", async () => {
  const lab = vendorLab([
    ...authenticated,
    access("123 --secret=item1 --project=some-project --account=email@example.com", "a"),
    access("123 --secret=item1 --project=some-project --impersonate-service-account=service-user@example.com", "b"),
    access("123 --secret=item1 --project=some-project --account=user@example.com --impersonate-service-account=service-user@example.com,service-user2@example.com", "c"),
  ]);
  expect(await fetch(lab, ["some-project/item1/123"], { account: "email@example.com" })).toEqual({ "some-project/item1": "a" });
  expect(await fetch(lab, ["some-project/item1/123"], { account: "default|service-user@example.com" })).toEqual({ "some-project/item1": "b" });
  expect(await fetch(lab, ["some-project/item1/123"], { account: "user@example.com|service-user@example.com,service-user2@example.com" }))
    .toEqual({ "some-project/item1": "c" });
  expect(lab.lines.filter((l) => l.includes("versions access"))).toEqual([
    "gcloud secrets versions access 123 --secret=item1 --project=some-project --account=email@example.com --format=json",
    "gcloud secrets versions access 123 --secret=item1 --project=some-project --impersonate-service-account=service-user@example.com --format=json",
    "gcloud secrets versions access 123 --secret=item1 --project=some-project --account=user@example.com --impersonate-service-account=service-user@example.com,service-user2@example.com --format=json",
  ]);
});

test("logs in when no account is authenticated, and fails if still none", async () => {
  const lab = vendorLab([on("gcloud --version"), on("gcloud auth list --format=json", { stdout: "[]" }), on("gcloud auth login")]);
  await expect(fetch(lab, ["mypassword"])).rejects.toThrow("could not login to gcloud");
  expect(lab.lines).toEqual(["gcloud --version 2> /dev/null", "gcloud auth list --format=json", "gcloud auth login", "gcloud auth list --format=json"]);
});

test("a secret gcloud cannot read is named with its project", async () => {
  const lab = vendorLab([...authenticated, on("gcloud secrets versions access latest --secret=nope --format=json", {
    code: 1, stderr: "ERROR: (gcloud.secrets.versions.access) NOT_FOUND: Secret [nope] not found or has no versions.\n",
  })]);
  await expect(fetch(lab, ["nope"])).rejects.toThrow(
    "Could not read default/nope from Google Secret Manager: ERROR: (gcloud.secrets.versions.access) NOT_FOUND: Secret [nope] not found or has no versions.",
  );
});

test("needs --account and an installed gcloud", async () => {
  await expect(fetch(vendorLab([]), ["x"], { account: "" })).rejects.toThrow("No value provided for required options '--account'");
  await expect(fetch(vendorLab([], { installed: false }), ["item1"])).rejects.toThrow("gcloud CLI is not installed");
});
