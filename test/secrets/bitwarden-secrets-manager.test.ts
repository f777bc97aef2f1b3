import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab } from "./vendor-lab.ts";

const ready = [on("bws --version"), on("bws project list", { stdout: "OK" })];
const pairs = [{ key: "KAMAL_REGISTRY_PASSWORD", value: "some_password" }, { key: "MY_OTHER_SECRET", value: 'my=wierd"secret' }];

async function fetch(lab: Lab, names: string[], from?: string) {
  return Object.fromEntries(await fetchSecrets({ adapter: "bitwarden-sm", from, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("`all` lists every secret, keyed by the secrets' own keys", async () => {
  const lab = vendorLab([...ready, json("bws", ["secret", "list"], pairs)]);
  expect(await fetch(lab, ["all"])).toEqual({ KAMAL_REGISTRY_PASSWORD: "some_password", MY_OTHER_SECRET: 'my=wierd"secret' });
  expect(lab.lines).toEqual(["bws --version 2> /dev/null", "bws project list", "bws secret list"]);
});

test("`all` with --from lists one project's secrets", async () => {
  const lab = vendorLab([...ready, json("bws", ["secret", "list", "82aeb5bd-6958-4a89-8197-eacab758acce"], pairs)]);
  expect(await fetch(lab, ["all"], "82aeb5bd-6958-4a89-8197-eacab758acce")).toEqual({
    KAMAL_REGISTRY_PASSWORD: "some_password", MY_OTHER_SECRET: 'my=wierd"secret',
  });
  expect(lab.lines.at(-1)).toBe("bws secret list 82aeb5bd-6958-4a89-8197-eacab758acce");
});

test("ids are fetched one by one, and values keep their line breaks", async () => {
  const lab = vendorLab([
    ...ready,
    json("bws", ["secret", "get", "82aeb5bd-6958-4a89-8197-eacab758acce"], { key: "SSH_PRIVATE_KEY", value: "some_key\nwith_linebreak" }),
    json("bws", ["secret", "get", "6f8cdf27-de2b-4c77-a35d-07df8050e332"], pairs[1]),
  ]);
  expect(await fetch(lab, ["82aeb5bd-6958-4a89-8197-eacab758acce", "6f8cdf27-de2b-4c77-a35d-07df8050e332"])).toEqual({
    SSH_PRIVATE_KEY: "some_key\nwith_linebreak", MY_OTHER_SECRET: 'my=wierd"secret',
  });
  expect(lab.lines.slice(2)).toEqual([
    "bws secret get 82aeb5bd-6958-4a89-8197-eacab758acce", "bws secret get 6f8cdf27-de2b-4c77-a35d-07df8050e332",
  ]);
});

test("nothing to fetch is refused after the login check", async () => {
  await expect(fetch(vendorLab(ready), [])).rejects.toThrow("You must specify what to retrieve from Bitwarden Secrets Manager");
});

test("a failing list or get is named", async () => {
  const error = { code: 1, stderr: "Error:\n0: Received error message from server\n" };
  await expect(fetch(vendorLab([...ready, on("bws secret list", error)]), ["all"])).rejects.toThrow(
    "Could not read secrets from Bitwarden Secrets Manager: Error:\n0: Received error message from server",
  );
  await expect(fetch(vendorLab([...ready, on("bws secret get 82aeb5bd", error)]), ["82aeb5bd"])).rejects.toThrow(
    "Could not read 82aeb5bd from Bitwarden Secrets Manager",
  );
});

test("without a valid access token it says so", async () => {
  const lab = vendorLab([on("bws --version"), on("bws project list", { code: 1 })]);
  await expect(fetch(lab, ["all"])).rejects.toThrow("Could not authenticate to Bitwarden Secrets Manager. Did you set a valid access token?");
});

test("without bws installed it says so", async () => {
  await expect(fetch(vendorLab([], { installed: false }), [])).rejects.toThrow("Bitwarden Secrets Manager CLI is not installed");
});
