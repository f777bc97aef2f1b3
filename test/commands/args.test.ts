import { describe, expect, it } from "vitest";
import { argumentize, isPresent, optionize } from "../../src/commands/args.ts";

describe("argumentize", () => {
  it("escapes present values, keeps false, and leaves empty ones bare", () => {
    expect(argumentize("--env", { A: "x y", B: "", C: "  ", D: null, E: false, F: 3, G: true })).toEqual([
      "--env", 'A="x y"', "--env", "B", "--env", "C", "--env", "D", "--env", "E=false", "--env", 'F="3"', "--env", 'G="true"']);
  });
  it("passes plain words through unescaped", () => {
    expect(argumentize("--volume", ["/a:/b", "$PWD/c:/d"])).toEqual(["--volume", "/a:/b", "--volume", "$PWD/c:/d"]);
    expect(argumentize("--file", "Dockerfile")).toEqual(["--file", "Dockerfile"]);
    expect(argumentize("--secret", [["id", "token"]])).toEqual(["--secret", 'id="token"']);
  });
});

describe("optionize", () => {
  it("gives `--key value`, bare flags for true and a flag per list entry", () => {
    expect(optionize({ memory: "1g", "cap-add": true, label: ["a", "b"], cpus: 4 })).toEqual([
      "--memory", '"1g"', "--cap-add", "--label", '"a"', "--label", '"b"', "--cpus", '"4"']);
  });
  it("joins with = when asked, writing false as a quoted value", () => {
    expect(optionize({ host: ["a.com"], tls: true, "buffer-requests": false }, { joinWith: "=" })).toEqual([
      '--host="a.com"', "--tls", '--buffer-requests="false"']);
  });
});

describe("isPresent", () => {
  it("follows Ruby's present?", () => {
    expect([null, undefined, false, "", " \n", [], {}].map(isPresent)).toEqual([false, false, false, false, false, false, false]);
    expect([0, true, "x", [1], { a: 1 }].map(isPresent)).toEqual([true, true, true, true, true]);
  });
});
