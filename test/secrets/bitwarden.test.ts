import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab, type Rule } from "./vendor-lab.ts";

const status = (state: string) => ({ stdout: `${JSON.stringify({ serverUrl: null, userEmail: "email@example.com", status: state })}\n` });
const login = (password: string | null) => ({ login: { username: null, password } });
const withFields = (fields: Record<string, string>, password: string | null = null) => ({
  ...login(password), fields: Object.entries(fields).map(([name, value]) => ({ name, value, type: 1 })),
});
const unlocked = [on("bw --version"), on("bw status", status("unlocked")), on("bw sync")];
const item = (name: string, value: unknown): Rule => json("bw", ["get", "item", name], value);

async function fetch(lab: Lab, names: string[], from?: string) {
  const fetched = await fetchSecrets({ adapter: "bitwarden", account: "email@example.com", from, names, cwd: lab.dir, env: lab.env }, lab.runner);
  return Object.fromEntries(fetched);
}

test("a bare item name reads the login password", async () => {
  const lab = vendorLab([...unlocked, item("mypassword", login("secret123"))]);
  expect(await fetch(lab, ["mypassword"])).toEqual({ mypassword: "secret123" });
  expect(lab.lines).toEqual(["bw --version 2> /dev/null", "bw status", "bw sync", "bw get item mypassword"]);
});

test("--from names the item and the names are its custom fields", async () => {
  const lab = vendorLab([...unlocked, item("myitem", withFields({ field1: "secret1", field2: "blam", field3: "fewgrwjgk", field4: "auto" }))]);
  expect(await fetch(lab, ["field1", "field2", "field3"], "myitem")).toEqual({
    "myitem/field1": "secret1", "myitem/field2": "blam", "myitem/field3": "fewgrwjgk",
  });
});

test("an item without a password and no fields asked for gives all its custom fields", async () => {
  const lab = vendorLab([...unlocked, item("mynotefields", { type: 2, notes: "NOTES", ...withFields({ field1: "secret1", field4: "auto" }), login: undefined })]);
  expect(await fetch(lab, ["mynotefields"])).toEqual({ "mynotefields/field1": "secret1", "mynotefields/field4": "auto" });
});

test("reads each item once for several names", async () => {
  const lab = vendorLab([
    ...unlocked,
    item("mypassword", login("secret123")),
    item("myitem", withFields({ field1: "secret1", field2: "blam" })),
    item("myitem2", withFields({ field3: "fewgrwjgk" })),
  ]);
  expect(await fetch(lab, ["mypassword", "myitem/field1", "myitem/field2", "myitem2/field3"])).toEqual({
    mypassword: "secret123", "myitem/field1": "secret1", "myitem/field2": "blam", "myitem2/field3": "fewgrwjgk",
  });
  expect(lab.lines.slice(3)).toEqual(["bw get item mypassword", "bw get item myitem", "bw get item myitem2"]);
});

test("a secure note without fields is refused", async () => {
  const lab = vendorLab([...unlocked, item("mynote", { type: 2, notes: "NOTES", secureNote: { type: 0 } })]);
  await expect(fetch(lab, ["mynote"])).rejects.toThrow("Item mynote is not a login type item and no fields were specified");
});

test("a missing custom field is named", async () => {
  const lab = vendorLab([...unlocked, item("myitem", withFields({ field1: "secret1" }))]);
  await expect(fetch(lab, ["myitem/nope"])).rejects.toThrow("Could not find field nope in item myitem in Bitwarden");
});

test("logs in when unauthenticated, unlocks when locked, and ignores the token login prints", async () => {
  const lab = vendorLab([
    on("bw --version"),
    on("bw status", status("unauthenticated"), status("locked"), status("unlocked")),
    on("bw login email@example.com", { stdout: "1234567890" }),
    on("bw unlock --raw", { stdout: "" }),
    on("bw sync"),
    item("mypassword", login("secret123")),
  ]);
  expect(await fetch(lab, ["mypassword"])).toEqual({ mypassword: "secret123" });
  expect(lab.lines).toEqual([
    "bw --version 2> /dev/null", "bw status", "bw login email@example.com", "bw status", "bw unlock --raw", "bw status",
    "bw sync", "bw get item mypassword",
  ]);
  expect(lab.prompted).toEqual(["bw login email@example.com", "bw unlock --raw"]);
});

test("the session from bw unlock goes in front of every later command as BW_SESSION", async () => {
  const lab = vendorLab([
    on("bw --version"),
    on("bw status", status("locked"), status("unlocked")),
    on("bw unlock --raw", { stdout: "0987654321\n" }),
    on("bw sync"),
    item("mypassword", login("secret123")),
  ]);
  expect(await fetch(lab, ["mypassword"])).toEqual({ mypassword: "secret123" });
  expect(lab.lines.slice(2)).toEqual([
    "bw unlock --raw", "BW_SESSION=0987654321 bw status", "BW_SESSION=0987654321 bw sync", "BW_SESSION=0987654321 bw get item mypassword",
  ]);
  expect(lab.calls().map((c) => [c.argv.join(" "), c.env.BW_SESSION ?? ""])).toEqual([
    ["bw --version", ""], ["bw status", ""], ["bw unlock --raw", ""], ["bw status", "0987654321"],
    ["bw sync", "0987654321"], ["bw get item mypassword", "0987654321"],
  ]);
});

test("a vault that stays locked is an error", async () => {
  const lab = vendorLab([on("bw --version"), on("bw status", status("locked")), on("bw unlock --raw", { code: 1 })]);
  await expect(fetch(lab, ["x"])).rejects.toThrow("Failed to login to and unlock Bitwarden");
});

test("a failed sync is an error", async () => {
  const lab = vendorLab([on("bw --version"), on("bw status", status("unlocked")), on("bw sync", { code: 1, stderr: "Network error\n" })]);
  await expect(fetch(lab, ["x"])).rejects.toThrow("Failed to sync Bitwarden: Network error");
});

test("an item bw cannot find is named", async () => {
  const lab = vendorLab([...unlocked, on("bw get item nope", { code: 1, stderr: "Not found.\n" })]);
  await expect(fetch(lab, ["nope"])).rejects.toThrow("Could not read nope from Bitwarden: Not found.");
});

test("item names are shell-escaped", async () => {
  const lab = vendorLab([...unlocked, { cli: "bw", argv: ["get", "item", "my item"], replies: [{ stdout: JSON.stringify(login("pw")) }] }]);
  expect(await fetch(lab, ["my item"])).toEqual({ "my item": "pw" });
  expect(lab.lines.at(-1)).toBe("bw get item my\\ item");
});

test("without bw installed it says so", async () => {
  await expect(fetch(vendorLab([], { installed: false }), ["mynote"])).rejects.toThrow("Bitwarden CLI is not installed");
});
