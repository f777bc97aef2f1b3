import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab, type Rule } from "./vendor-lab.ts";

const PROJECT = "dcbe0e39-42d8-42db-9637-8256b9f2f8e3";
const OTHER = "14e11dd8-b279-4689-8bd9-fa33ebb527da";
const SUB = "6a3f21fc-aa40-4ba9-852c-7477fdd0310d";
const ready = [on("passbolt --version"), on("passbolt verify")];
const folder = (id: string, name: string, parent = "") => ({ id, folder_parent_id: parent, name, created_timestamp: "2025-02-21T19:52:50Z" });
const resource = (name: string, password: string, parent = "") => ({ id: `id-${name}`, folder_parent_id: parent, name, username: "", password });
const three = (parent = "") => [resource("FSECRET1", "fsecret1", parent), resource("FSECRET2", "fsecret2", parent), resource("SECRET1", "secret1", parent)];
const folders = (filter: string, value: unknown): Rule => json("passbolt", ["list", "folders", "--filter", filter, "--json"], value);
const resources = (args: string[], value: unknown): Rule =>
  json("passbolt", ["list", "resources", ...args, "--column", "name", "--column", "password", "--json"], value);
const inFolder = (id: string) =>
  `(Name == "SECRET1" && FolderParentID == "${id}") || (Name == "FSECRET1" && FolderParentID == "${id}") || (Name == "FSECRET2" && FolderParentID == "${id}")`;
const EXPECTED = { SECRET1: "secret1", FSECRET1: "fsecret1", FSECRET2: "fsecret2" };

async function fetch(lab: Lab, names: string[], from?: string) {
  return Object.fromEntries(await fetchSecrets({ adapter: "passbolt", from, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("root-level names become one Name filter, with Kamal's double space where folder flags would go", async () => {
  const lab = vendorLab([...ready, resources(["--filter", 'Name == "SECRET1" || Name == "FSECRET1" || Name == "FSECRET2"'], three())]);
  expect(await fetch(lab, ["SECRET1", "FSECRET1", "FSECRET2"])).toEqual(EXPECTED);
  expect(lab.lines).toEqual([
    "passbolt --version 2> /dev/null",
    "passbolt verify",
    `passbolt list resources --filter 'Name == "SECRET1" || Name == "FSECRET1" || Name == "FSECRET2"'  --column name --column password --json`,
  ]);
});

test("--from resolves the folder and filters by its id", async () => {
  const lab = vendorLab([
    ...ready,
    folders('Name == "my-project"', [folder(PROJECT, "my-project")]),
    resources(["--filter", inFolder(PROJECT), "--folder", PROJECT], three(PROJECT)),
  ]);
  expect(await fetch(lab, ["SECRET1", "FSECRET1", "FSECRET2"], "my-project")).toEqual(EXPECTED);
  expect(lab.lines.slice(2)).toEqual([
    `passbolt list folders --filter 'Name == "my-project"' --json`,
    `passbolt list resources --filter '${inFolder(PROJECT)}' --folder ${PROJECT} --column name --column password --json`,
  ]);
});

test("folders may be written in the names, several at once", async () => {
  const lab = vendorLab([
    ...ready,
    folders('Name == "my-project" || Name == "other-project"', [folder(PROJECT, "my-project"), folder(OTHER, "other-project")]),
    resources(["--filter",
      `(Name == "SECRET1" && FolderParentID == "${PROJECT}") || (Name == "FSECRET1" && FolderParentID == "${PROJECT}") || (Name == "FSECRET2" && FolderParentID == "${OTHER}")`,
      "--folder", PROJECT, "--folder", OTHER], three(PROJECT)),
  ]);
  expect(await fetch(lab, ["my-project/SECRET1", "my-project/FSECRET1", "other-project/FSECRET2"])).toEqual(EXPECTED);
});

test("nested folders are resolved level by level", async () => {
  const lab = vendorLab([
    ...ready,
    folders('Name == "my-project"', [folder(PROJECT, "my-project")]),
    folders(`Name == "subfolder" && FolderParentID == "${PROJECT}"`, [folder(SUB, "subfolder", PROJECT)]),
    resources(["--filter", inFolder(SUB), "--folder", PROJECT, "--folder", SUB], three(SUB)),
  ]);
  expect(await fetch(lab, ["SECRET1", "FSECRET1", "FSECRET2"], "my-project/subfolder")).toEqual(EXPECTED);
  expect(await fetch(lab, ["my-project/subfolder/SECRET1", "my-project/subfolder/FSECRET1", "my-project/subfolder/FSECRET2"])).toEqual(EXPECTED);
});

test("ids are shell-escaped, then quoted the way Ruby inspects them", async () => {
  const lab = vendorLab([
    ...ready,
    folders('Name == "my-project"', [folder("abc def-123", "my-project")]),
    resources(["--filter", '(Name == "SECRET1" && FolderParentID == "abc\\\\ def-123")', "--folder", "abc def-123"], [resource("SECRET1", "secret1", "abc def-123")]),
  ]);
  expect(await fetch(lab, ["my-project/SECRET1"])).toEqual({ SECRET1: "secret1" });
  expect(lab.lines.at(-1)).toBe(
    `passbolt list resources --filter '(Name == "SECRET1" && FolderParentID == "abc\\\\ def-123")' --folder abc\\ def-123 --column name --column password --json`,
  );
});

test("missing folders and missing resources are listed", async () => {
  const noFolder = vendorLab([...ready, folders('Name == "nope"', [])]);
  await expect(fetch(noFolder, ["nope/SECRET1"])).rejects.toThrow("Could not find the following folders in Passbolt: nope");
  const noResource = vendorLab([...ready, resources(["--filter", 'Name == "SECRET1" || Name == "GONE"'], [resource("SECRET1", "secret1")])]);
  await expect(fetch(noResource, ["SECRET1", "GONE"])).rejects.toThrow("Could not find the following secrets in Passbolt: GONE");
});

test("a failed verify, an empty request and a missing CLI are errors", async () => {
  await expect(fetch(vendorLab([on("passbolt --version"), on("passbolt verify", { code: 1 })]), ["A"])).rejects.toThrow("Failed to login to Passbolt");
  await expect(fetch(vendorLab(ready), [])).rejects.toThrow("No secrets given to fetch");
  await expect(fetch(vendorLab([], { installed: false }), ["HOST", "PORT"])).rejects.toThrow("Passbolt CLI is not installed");
});
