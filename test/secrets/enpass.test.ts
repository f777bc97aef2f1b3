import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab } from "./vendor-lab.ts";

const entry = (title: string, label: string, password: string) => ({ category: "computer", label, login: "", password, title, type: "password" });
const installed = on("enpass-cli version");

async function fetch(lab: Lab, names: string[], from: string | null = "vault-path") {
  return Object.fromEntries(await fetchSecrets({ adapter: "enpass", from: from ?? undefined, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("Title/Label reads one field; the vault path is not a prefix", async () => {
  const lab = vendorLab([installed, json("enpass-cli", ["-json", "-vault", "vault-path", "show", "FooBar"], [entry("FooBar", "SECRET_1", "my-password-1")])]);
  expect(await fetch(lab, ["FooBar/SECRET_1"])).toEqual({ "FooBar/SECRET_1": "my-password-1" });
  expect(lab.lines).toEqual(["enpass-cli version 2> /dev/null", "enpass-cli -json -vault vault-path show FooBar"]);
});

test("each title is shown once, and entries of other titles are ignored", async () => {
  const lab = vendorLab([installed, json("enpass-cli", ["-json", "-vault", "vault-path", "show", "FooBar"], [
    entry("FooBar", "SECRET_1", "my-password-1"), entry("FooBar", "SECRET_2", "my-password-2"), entry("Hello", "SECRET_3", "my-password-1"),
  ])]);
  expect(await fetch(lab, ["FooBar/SECRET_1", "FooBar/SECRET_2"])).toEqual({ "FooBar/SECRET_1": "my-password-1", "FooBar/SECRET_2": "my-password-2" });
});

test("a bare title reads all its passwords; an unlabelled one is keyed by the title", async () => {
  const lab = vendorLab([installed, json("enpass-cli", ["-json", "-vault", "vault-path", "show", "FooBar"], [
    entry("FooBar", "SECRET_1", "my-password-1"), entry("FooBar", "SECRET_2", "my-password-2"),
    entry("Hello", "SECRET_3", "my-password-1"), entry("FooBar", "", "my-password-3"), entry("FooBar", "EMPTY", " "),
  ])]);
  expect(await fetch(lab, ["FooBar"])).toEqual({ "FooBar/SECRET_1": "my-password-1", "FooBar/SECRET_2": "my-password-2", FooBar: "my-password-3" });
});

test("two entries with the same key are refused", async () => {
  const lab = vendorLab([installed, json("enpass-cli", ["-json", "-vault", "vault-path", "show", "FooBar"], [entry("FooBar", "A", "1"), entry("FooBar", "A", "2")])]);
  await expect(fetch(lab, ["FooBar"])).rejects.toThrow("FooBar/A is present more than once");
});

test("a failing enpass-cli is reported instead of parsed", async () => {
  const lab = vendorLab([installed, on("enpass-cli -json -vault vault-path show FooBar", { code: 1, stderr: "level=fatal msg=\"could not open vault\"\n" })]);
  await expect(fetch(lab, ["FooBar"])).rejects.toThrow('Could not read FooBar from the Enpass vault vault-path: level=fatal msg="could not open vault"');
});

test("needs the vault path and an installed enpass-cli", async () => {
  await expect(fetch(vendorLab([installed]), ["FooBar"], null)).rejects.toThrow("Enpass needs --from <vault path>");
  await expect(fetch(vendorLab([], { installed: false }), ["mynote"])).rejects.toThrow("Enpass CLI is not installed");
});
