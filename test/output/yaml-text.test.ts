import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { toYaml } from "../../src/output/yaml-text.ts";

describe("toYaml", () => {
  test("prints Kamal's config layout: symbol keys, unindented lists, quoted strings that look like numbers", () => {
    const text = toYaml({
      ":roles": ["web"],
      ":primary_host": "1.1.1.1",
      ":version": "999",
      ":volume_args": [],
      ":ssh_options": { ":user": "root", ":port": 22, ":keepalive": true, ":log_level": ":fatal" },
      ":sshkit": {},
      ":logging": ["--log-opt", 'max-size="10m"'],
    });
    expect(text).toMatchInlineSnapshot(`
      "---
      :roles:
      - web
      :primary_host: 1.1.1.1
      :version: '999'
      :volume_args: []
      :ssh_options:
        :user: root
        :port: 22
        :keepalive: true
        :log_level: :fatal
      :sshkit: {}
      :logging:
      - '--log-opt'
      - max-size="10m"
      "
    `);
  });

  test.each([
    ["yes"], ["off"], ["~"], ["0755"], ["1_000"], ["22:22"], ["1.5"], ["2024-01-01"], [""], ["a: b"], ["x #y"],
    ["'quoted'"], ["-dash"], ["* star"], ["line\nbreak"], ["tab\there"], ["trailing "], ["{}"], ["[1]"], ["@at"],
  ])("reads %j back as the same string under YAML 1.1", (value) => {
    const doc = { list: [value], map: { key: value, nested: [{ a: value }] } };
    expect(parse(toYaml(doc), { version: "1.1" })).toEqual(doc);
  });
});
