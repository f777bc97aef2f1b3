import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab } from "./vendor-lab.ts";

const item = (fullname: string, password: string) => ({ id: "1", name: fullname.split("/").at(-1), fullname, username: "", password });
const loggedIn = [on("lpass --version"), on("lpass status --color never", { stdout: "Logged in as email@example.com.\n" })];

async function fetch(lab: Lab, names: string[], from?: string) {
  return Object.fromEntries(await fetchSecrets({ adapter: "lastpass", account: "email@example.com", from, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("shows every item in one lpass call, keyed by full name", async () => {
  const lab = vendorLab([
    ...loggedIn,
    json("lpass", ["show", "SECRET1", "FOLDER1/FSECRET1", "FOLDER1/FSECRET2", "--json"],
      [item("SECRET1", "secret1"), item("FOLDER1/FSECRET1", "fsecret1"), item("FOLDER1/FSECRET2", "fsecret2")]),
  ]);
  expect(await fetch(lab, ["SECRET1", "FOLDER1/FSECRET1", "FOLDER1/FSECRET2"])).toEqual({
    SECRET1: "secret1", "FOLDER1/FSECRET1": "fsecret1", "FOLDER1/FSECRET2": "fsecret2",
  });
  expect(lab.lines).toEqual([
    "lpass --version 2> /dev/null", "lpass status --color never", "lpass show SECRET1 FOLDER1/FSECRET1 FOLDER1/FSECRET2 --json",
  ]);
});

test("--from is the folder", async () => {
  const lab = vendorLab([
    ...loggedIn,
    json("lpass", ["show", "FOLDER1/FSECRET1", "FOLDER1/FSECRET2", "--json"], [item("FOLDER1/FSECRET1", "fsecret1"), item("FOLDER1/FSECRET2", "fsecret2")]),
  ]);
  expect(await fetch(lab, ["FSECRET1", "FSECRET2"], "FOLDER1")).toEqual({ "FOLDER1/FSECRET1": "fsecret1", "FOLDER1/FSECRET2": "fsecret2" });
});

test("logs in as the account when lpass is logged out", async () => {
  const lab = vendorLab([
    on("lpass --version"),
    on("lpass status --color never", { stdout: "Not logged in.\n", code: 1 }),
    on("lpass login email@example.com"),
    json("lpass", ["show", "SECRET1", "--json"], [item("SECRET1", "secret1")]),
  ]);
  expect(await fetch(lab, ["SECRET1"])).toEqual({ SECRET1: "secret1" });
  expect(lab.lines[2]).toBe("lpass login email@example.com");
});

test("a failed login is an error", async () => {
  const lab = vendorLab([on("lpass --version"), on("lpass status --color never", { code: 1 }), on("lpass login email@example.com", { code: 1 })]);
  await expect(fetch(lab, ["SECRET1"])).rejects.toThrow("Failed to login to LastPass");
});

test("items lpass did not return are listed", async () => {
  const lab = vendorLab([...loggedIn, json("lpass", ["show", "SECRET1", "A", "B", "--json"], [item("SECRET1", "secret1")])]);
  await expect(fetch(lab, ["SECRET1", "A", "B"])).rejects.toThrow("Could not find A, B in LastPass");
});

test("a failing lpass show names the items as Kamal prints them", async () => {
  const lab = vendorLab([...loggedIn, on("lpass show A B --json", { code: 1, stderr: "Error: Could not find specified account(s).\n" })]);
  await expect(fetch(lab, ["A", "B"])).rejects.toThrow('Could not read ["A", "B"] from LastPass: Error: Could not find specified account(s).');
});

test("without lpass installed it says so", async () => {
  await expect(fetch(vendorLab([], { installed: false }), ["SECRET1"])).rejects.toThrow("LastPass CLI is not installed");
});
