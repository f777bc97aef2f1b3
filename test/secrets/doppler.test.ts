import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab } from "./vendor-lab.ts";

const computed = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { computed: value, computedVisibility: "unmasked", note: "" }]));
const three = computed({ SECRET1: "secret1", FSECRET1: "fsecret1", FSECRET2: "fsecret2" });
const loggedIn = [on("doppler --version"), on("doppler me --json")];

async function fetch(lab: Lab, names: string[], from?: string) {
  return Object.fromEntries(await fetchSecrets({ adapter: "doppler", from, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("--from project/config becomes -p and -c, and names are the secrets' names", async () => {
  const lab = vendorLab([...loggedIn, json("doppler", ["secrets", "get", "SECRET1", "FSECRET1", "FSECRET2", "--json", "-p", "my-project", "-c", "prd"], three)]);
  expect(await fetch(lab, ["SECRET1", "FSECRET1", "FSECRET2"], "my-project/prd")).toEqual({ SECRET1: "secret1", FSECRET1: "fsecret1", FSECRET2: "fsecret2" });
  expect(lab.lines).toEqual([
    "doppler --version 2> /dev/null", "doppler me --json 2> /dev/null",
    "doppler secrets get SECRET1 FSECRET1 FSECRET2 --json -p my-project -c prd",
  ]);
});

test("project and config may be written in each name instead", async () => {
  const lab = vendorLab([...loggedIn, json("doppler", ["secrets", "get", "SECRET1", "FSECRET1", "FSECRET2", "--json", "-p", "my-project", "-c", "prd"], three)]);
  expect(await fetch(lab, ["my-project/prd/SECRET1", "my-project/prd/FSECRET1", "my-project/prd/FSECRET2"])).toEqual({
    SECRET1: "secret1", FSECRET1: "fsecret1", FSECRET2: "fsecret2",
  });
});

test("a service token in DOPPLER_TOKEN implies project and config", async () => {
  const lab = vendorLab([...loggedIn, json("doppler", ["secrets", "get", "SECRET1", "FSECRET1", "FSECRET2", "--json"], three)],
    { env: { DOPPLER_TOKEN: "dp.st.xxxxxxxxxxxxxxxxxxxxxx" } });
  expect(await fetch(lab, ["SECRET1", "FSECRET1", "FSECRET2"])).toEqual({ SECRET1: "secret1", FSECRET1: "fsecret1", FSECRET2: "fsecret2" });
  expect(lab.lines.at(-1)).toBe("doppler secrets get SECRET1 FSECRET1 FSECRET2 --json ");
  expect(lab.calls().at(-1)?.env).toEqual({ DOPPLER_TOKEN: "dp.st.xxxxxxxxxxxxxxxxxxxxxx" });
});

test("without project and config it says how to pass them", async () => {
  const error = await fetch(vendorLab(loggedIn), ["FSECRET1", "FSECRET2"]).catch((e: unknown) => e);
  expect(error).toMatchObject({
    message: "Missing project or config from '--from=project/config' option",
    hint: "pass --from <project>/<config>, or export a service token as DOPPLER_TOKEN",
  });
});

test("logs in when `doppler me` fails", async () => {
  const lab = vendorLab([
    on("doppler --version"), on("doppler me --json", { code: 1 }), on("doppler login -y"),
    json("doppler", ["secrets", "get", "SECRET1", "--json", "-p", "my-project", "-c", "prd"], computed({ SECRET1: "secret1" })),
  ]);
  expect(await fetch(lab, ["SECRET1"], "my-project/prd")).toEqual({ SECRET1: "secret1" });
  expect(lab.lines[2]).toBe("doppler login -y");
});

test("a failed login or read is an error", async () => {
  await expect(fetch(vendorLab([on("doppler --version"), on("doppler me --json", { code: 1 }), on("doppler login -y", { code: 1 })]), ["A"], "p/c"))
    .rejects.toThrow("Failed to login to Doppler");
  await expect(fetch(vendorLab([...loggedIn, on("doppler secrets get A --json -p p -c c", { code: 1, stderr: "Doppler Error: Could not find requested secret: A\n" })]), ["A"], "p/c"))
    .rejects.toThrow('Could not read ["p/c/A"] from Doppler: Doppler Error: Could not find requested secret: A');
});

test("without doppler installed it says so", async () => {
  await expect(fetch(vendorLab([], { installed: false }), ["HOST", "PORT"])).rejects.toThrow("Doppler CLI is not installed");
});
