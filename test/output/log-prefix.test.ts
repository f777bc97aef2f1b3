import { Chalk } from "chalk";
import { describe, expect, test } from "vitest";
import { LogPrefixes } from "../../src/output/log-prefix.ts";

describe("log line prefixes", () => {
  test("label every line with its host, padded to the longest label", () => {
    const p = new LogPrefixes();
    p.declare([{ host: "10.0.0.1" }, { host: "web-10.example.com" }]);
    expect(p.line({ host: "10.0.0.1" }, "GET / 200")).toBe("10.0.0.1           | GET / 200");
    expect(p.line({ host: "web-10.example.com" }, "GET /up 200")).toBe("web-10.example.com | GET /up 200");
  });

  test("name the role or accessory only where one host has several", () => {
    const p = new LogPrefixes();
    p.declare([{ host: "10.0.0.1", name: "web" }, { host: "10.0.0.2", name: "web" }, { host: "10.0.0.2", name: "workers" }]);
    expect([
      p.line({ host: "10.0.0.1", name: "web" }, "a"),
      p.line({ host: "10.0.0.2", name: "web" }, "b"),
      p.line({ host: "10.0.0.2", name: "workers" }, "c"),
    ]).toEqual([
      "10.0.0.1         | a",
      "10.0.0.2 web     | b",
      "10.0.0.2 workers | c",
    ]);
  });

  test("an empty line keeps its label without trailing space", () => {
    const p = new LogPrefixes();
    p.declare([{ host: "a" }, { host: "bb" }]);
    expect(p.line({ host: "a" }, "")).toBe("a  |");
  });

  test("colour each label in the order the sources were declared, outside the padding, leaving the line alone", () => {
    const p = new LogPrefixes(new Chalk({ level: 1 }));
    p.declare([{ host: "h1" }, { host: "host2" }, { host: "h3" }]);
    expect(p.line({ host: "h1" }, "one")).toBe("\u001b[36mh1\u001b[39m    | one");
    expect(p.line({ host: "host2" }, "two")).toBe("\u001b[33mhost2\u001b[39m | two");
    expect(p.line({ host: "h3" }, "three")).toBe("\u001b[32mh3\u001b[39m    | three");
  });

  test("a source not declared gets a label of its own and widens the column for the lines after it", () => {
    const p = new LogPrefixes();
    p.declare([{ host: "h1" }]);
    expect(p.line({ host: "longer-host" }, "x")).toBe("longer-host | x");
    expect(p.line({ host: "h1" }, "y")).toBe("h1          | y");
  });
});
