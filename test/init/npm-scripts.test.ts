import { describe, expect, test } from "vitest";
import { addScripts, deployScripts } from "../../src/init/npm-scripts.ts";

describe("deployScripts", () => {
  test("deploy:staging only for an app with a staging destination", () => {
    expect(deployScripts(false)).toEqual({ deploy: "sextant deploy" });
    expect(deployScripts(true)).toEqual({ deploy: "sextant deploy", "deploy:staging": "sextant deploy -d staging" });
  });
});

describe("addScripts", () => {
  test("adds the missing scripts at the end of scripts, keeping the file's indentation and newline", () => {
    const text = `{\n\t"name": "shop",\n\t"scripts": {\n\t\t"test": "vitest"\n\t},\n\t"private": true\n}\n`;
    expect(addScripts(text, deployScripts(true))).toEqual({
      text: `{\n\t"name": "shop",\n\t"scripts": {\n\t\t"test": "vitest",\n\t\t"deploy": "sextant deploy",\n\t\t"deploy:staging": "sextant deploy -d staging"\n\t},\n\t"private": true\n}\n`,
      added: ["deploy", "deploy:staging"],
      kept: [],
    });
  });

  test("creates scripts when there is none", () => {
    expect(addScripts(`{\n  "name": "shop"\n}`, deployScripts(false))).toEqual({
      text: `{\n  "name": "shop",\n  "scripts": {\n    "deploy": "sextant deploy"\n  }\n}`,
      added: ["deploy"],
      kept: [],
    });
  });

  test("never replaces a script; one that is already ours is not mentioned", () => {
    expect(addScripts(`{"scripts":{"deploy":"./bin/deploy"}}`, deployScripts(false))).toEqual({ text: undefined, added: [], kept: ["deploy"] });
    expect(addScripts(`{"scripts":{"deploy":"sextant deploy"}}`, deployScripts(false))).toEqual({ text: undefined, added: [], kept: [] });
  });

  test("a package.json that is not a JSON object is left alone", () => {
    expect(addScripts(`{"name": "shop",}`, deployScripts(false))).toHaveProperty("invalid");
    expect(addScripts(`[]`, deployScripts(false))).toEqual({ invalid: "not a JSON object" });
    expect(addScripts(`{"scripts": "x"}`, deployScripts(false))).toEqual({ invalid: "scripts is not an object" });
  });
});
