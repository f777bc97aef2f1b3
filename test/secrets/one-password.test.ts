import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, on, vendorLab, type Rule } from "./vendor-lab.ts";

const field = (reference: string, value: string) => ({ label: reference.split("/").at(-1), value, reference });
const itemGet = (argv: string[], value: unknown, code = 0): Rule => ({
  cli: "op", argv: ["item", "get", ...argv], replies: [{ stdout: JSON.stringify(value), code }],
});
const signedIn = [on("op --version", { stdout: "2.30.0\n" }), on("op account get --account myaccount")];

async function fetch(lab: Lab, names: string[], from?: string, account = "myaccount") {
  return Object.fromEntries(await fetchSecrets({ adapter: "1password", account, from, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("reads several fields of one item with a single op item get", async () => {
  const lab = vendorLab([
    ...signedIn,
    itemGet(["myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--fields", "label=section.SECRET1,label=section.SECRET2,label=section2.SECRET3"], [
      field("op://myvault/myitem/section/SECRET1", "VALUE1"),
      field("op://myvault/myitem/section/SECRET2", "VALUE2"),
      field("op://myvault/myitem/section2/SECRET3", "VALUE3"),
    ]),
  ]);
  expect(await fetch(lab, ["section/SECRET1", "section/SECRET2", "section2/SECRET3"], "op://myvault/myitem")).toEqual({
    "myvault/myitem/section/SECRET1": "VALUE1",
    "myvault/myitem/section/SECRET2": "VALUE2",
    "myvault/myitem/section2/SECRET3": "VALUE3",
  });
  expect(lab.lines).toEqual([
    "op --version 2> /dev/null",
    "op account get --account myaccount 2> /dev/null",
    'op item get myitem --vault "myvault" --format "json" --account "myaccount" --fields "label=section.SECRET1,label=section.SECRET2,label=section2.SECRET3"',
  ]);
});

test("groups fields per item, and a single field comes back as an object", async () => {
  const lab = vendorLab([
    ...signedIn,
    itemGet(["myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--fields", "label=section.SECRET1,label=section.SECRET2"], [
      field("op://myvault/myitem/section/SECRET1", "VALUE1"),
      field("op://myvault/myitem/section/SECRET2", "VALUE2"),
    ]),
    itemGet(["myitem2", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--fields", "label=section2.SECRET3"],
      field("op://myvault/myitem2/section/SECRET3", "VALUE3")),
  ]);
  expect(await fetch(lab, ["myitem/section/SECRET1", "myitem/section/SECRET2", "myitem2/section2/SECRET3"], "op://myvault")).toEqual({
    "myvault/myitem/section/SECRET1": "VALUE1",
    "myvault/myitem/section/SECRET2": "VALUE2",
    "myvault/myitem2/section/SECRET3": "VALUE3",
  });
  expect(lab.lines.slice(2)).toEqual([
    'op item get myitem --vault "myvault" --format "json" --account "myaccount" --fields "label=section.SECRET1,label=section.SECRET2"',
    'op item get myitem2 --vault "myvault" --format "json" --account "myaccount" --fields "label=section2.SECRET3"',
  ]);
});

test("with no names, --from vault/item fetches every field and drops the /password suffix", async () => {
  const lab = vendorLab([
    ...signedIn,
    itemGet(["myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount"], {
      id: "ucbtiii777",
      fields: [field("op://myvault/myitem/section/SECRET1", "VALUE1"), field("op://myvault/myitem/password", "pw")],
    }),
  ]);
  expect(await fetch(lab, [], "op://myvault/myitem")).toEqual({ "myvault/myitem/section/SECRET1": "VALUE1", "myvault/myitem": "pw" });
  expect(lab.lines.at(-1)).toBe('op item get myitem --vault "myvault" --format "json" --account "myaccount"');
});

test("a name without a field reads the item's password", async () => {
  const lab = vendorLab([
    ...signedIn,
    itemGet(["item", "--vault", "vault", "--format", "json", "--account", "myaccount", "--fields", "label=password"],
      field("op://vault/item/password", "hunter2")),
  ]);
  expect(await fetch(lab, ["vault/item"])).toEqual({ "vault/item": "hunter2" });
});

test("signs in when the account is not signed in and passes the session token on", async () => {
  const lab = vendorLab([
    on("op --version"),
    on("op account get --account myaccount", { code: 1, stderr: "[ERROR] not signed in\n" }),
    on("op signin --account myaccount --force --raw", { stdout: "1234567890\n" }),
    itemGet(["myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--session", "1234567890", "--fields", "label=section.SECRET1"],
      field("op://myvault/myitem/section/SECRET1", "VALUE1")),
  ]);
  expect(await fetch(lab, ["section/SECRET1"], "op://myvault/myitem")).toEqual({ "myvault/myitem/section/SECRET1": "VALUE1" });
  expect(lab.lines.slice(2)).toEqual([
    'op signin --account "myaccount" --force --raw',
    'op item get myitem --vault "myvault" --format "json" --account "myaccount" --session "1234567890" --fields "label=section.SECRET1"',
  ]);
});

test("an empty sign-in token means no --session", async () => {
  const lab = vendorLab([
    on("op --version"),
    on("op account get --account myaccount", { code: 1 }),
    on("op signin --account myaccount --force --raw", { stdout: "" }),
    itemGet(["myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--fields", "label=section.SECRET1"],
      field("op://myvault/myitem/section/SECRET1", "VALUE1")),
  ]);
  expect(await fetch(lab, ["section/SECRET1"], "op://myvault/myitem")).toEqual({ "myvault/myitem/section/SECRET1": "VALUE1" });
});

test("signs in on the terminal, so op can prompt; a refusal is an error", async () => {
  const lab = vendorLab([
    on("op --version"),
    on("op account get --account myaccount", { code: 1 }),
    on("op signin --account myaccount --force --raw", { code: 1 }),
  ]);
  const error = await fetch(lab, ["x/y"]).catch((e: unknown) => e);
  expect(error).toMatchObject({
    message: "Failed to login to 1Password",
    hint: "sign in with `op signin --account <account>`, or turn on the 1Password app's CLI integration",
  });
  expect(lab.prompted).toEqual(['op signin --account "myaccount" --force --raw']);
});

test("a field op cannot read names the fields, item and vault", async () => {
  const lab = vendorLab([
    ...signedIn,
    itemGet(["myitem", "--vault", "myvault", "--format", "json", "--account", "myaccount", "--fields", "label=a,label=b"], {}, 1),
  ]);
  await expect(fetch(lab, ["myitem/a", "myitem/b"], "myvault")).rejects.toThrow("Could not read a, b from myitem in the myvault 1Password vault");
});

test("without op installed it says so, with where to get it", async () => {
  const lab = vendorLab([], { installed: false });
  const error = await fetch(lab, ["section/SECRET1"], "op://myvault/myitem").catch((e: unknown) => e);
  expect(error).toMatchObject({
    message: "1Password CLI is not installed",
    hint: "install the 1Password CLI (`op`): https://developer.1password.com/docs/cli/get-started/",
  });
});

test("needs --account", async () => {
  const lab = vendorLab([]);
  await expect(fetch(lab, ["a/b"], undefined, " ")).rejects.toThrow("No value provided for required options '--account'");
  expect(lab.lines).toEqual([]);
});
