import { expect, test } from "vitest";
import { fetchSecrets } from "../../src/secrets/fetch.ts";
import { type Lab, json, on, vendorLab } from "./vendor-lab.ts";

const value = (Name: string, SecretString: string) => ({ ARN: `arn:aws:secretsmanager:us-east-1:a:secret:${Name}`, Name, SecretString, VersionStages: ["AWSCURRENT"] });
const batch = (ids: string[], values: unknown[], profile: string[] = ["--profile", "default"]) =>
  json("aws", ["secretsmanager", "batch-get-secret-value", "--secret-id-list", ...ids, ...profile, "--output", "json"], { SecretValues: values, Errors: [] });

async function fetch(lab: Lab, names: string[], opts: { from?: string; account?: string } = { account: "default" }) {
  return Object.fromEntries(await fetchSecrets({ adapter: "aws_secrets_manager", ...opts, names, cwd: lab.dir, env: lab.env }, lab.runner));
}

test("JSON object secrets expand to name/key", async () => {
  const lab = vendorLab([on("aws --version"), batch(["secret", "secret2"], [
    value("secret", '{"KEY1":"VALUE1", "KEY2":"VALUE2"}'), value("secret2", '{"KEY3":"VALUE3"}'),
  ])]);
  expect(await fetch(lab, ["secret", "secret2"])).toEqual({ "secret/KEY1": "VALUE1", "secret/KEY2": "VALUE2", "secret2/KEY3": "VALUE3" });
  expect(lab.lines).toEqual([
    "aws --version 2> /dev/null",
    "aws secretsmanager batch-get-secret-value --secret-id-list secret secret2 --profile default --output json",
  ]);
});

test("plain strings keep their name; bare JSON scalars come back as text", async () => {
  const lab = vendorLab([on("aws --version"), batch(["secret", "port", "flag", "name", "nothing"], [
    value("secret", "a-string-secret"), value("port", "5432"), value("flag", "true"), value("name", '"quoted-string"'), value("nothing", "null"),
  ])]);
  expect(await fetch(lab, ["secret", "port", "flag", "name", "nothing"])).toEqual({
    secret: "a-string-secret", port: "5432", flag: "true", name: "quoted-string", nothing: "null",
  });
});

test("non-string fields of an object secret become JSON text", async () => {
  const lab = vendorLab([on("aws --version"), batch(["myapp/RailsUser"], [value("myapp/RailsUser",
    '{"host":"db.example","port":5432,"ssl":true,"weight":1.5,"missing":null,"replicas":{"read":"r.example","port":5433},"tags":["prod","db"]}')])]);
  expect(await fetch(lab, ["myapp/RailsUser"])).toEqual({
    "myapp/RailsUser/host": "db.example", "myapp/RailsUser/port": "5432", "myapp/RailsUser/ssl": "true",
    "myapp/RailsUser/weight": "1.5", "myapp/RailsUser/missing": "null",
    "myapp/RailsUser/replicas": '{"read":"r.example","port":5433}', "myapp/RailsUser/tags": '["prod","db"]',
  });
});

test("--from prefixes the ids, and no --account means no --profile", async () => {
  const lab = vendorLab([on("aws --version"), batch(["secret/KEY1", "secret/KEY2"], [value("secret/KEY1", "VALUE1"), value("secret/KEY2", "VALUE2")], [])]);
  expect(await fetch(lab, ["KEY1", "KEY2"], { from: "secret" })).toEqual({ "secret/KEY1": "VALUE1", "secret/KEY2": "VALUE2" });
  expect(lab.lines.at(-1)).toBe("aws secretsmanager batch-get-secret-value --secret-id-list secret/KEY1 secret/KEY2 --output json");
});

test("API errors are joined into one message", async () => {
  const notFound = (SecretId: string) => ({ SecretId, ErrorCode: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  const lab = vendorLab([on("aws --version"), json("aws",
    ["secretsmanager", "batch-get-secret-value", "--secret-id-list", "unknown1", "unknown2", "--profile", "default", "--output", "json"],
    { SecretValues: [], Errors: [notFound("unknown1"), notFound("unknown2")] })]);
  await expect(fetch(lab, ["unknown1", "unknown2"])).rejects.toThrow(
    "unknown1: Secrets Manager can't find the specified secret. unknown2: Secrets Manager can't find the specified secret.",
  );
});

test("a failing aws call keeps its stderr", async () => {
  const lab = vendorLab([on("aws --version"), on("aws secretsmanager batch-get-secret-value --secret-id-list s --output json", {
    code: 255, stderr: "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n",
  })]);
  await expect(fetch(lab, ["s"], {})).rejects.toThrow(
    'Could not read s from AWS Secrets Manager: Unable to locate credentials. You can configure credentials by running "aws configure".',
  );
});

test("without aws installed it says so", async () => {
  await expect(fetch(vendorLab([], { installed: false }), ["SECRET1"])).rejects.toThrow("AWS CLI is not installed");
});
