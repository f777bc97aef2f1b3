import { describe, expect, test } from "vitest";
import { parseTraefikRule } from "../../../src/config/migrate/traefik-rule.ts";

describe("parseTraefikRule", () => {
  test.each([
    ["Host(`a.com`)", { hosts: ["a.com"], pathPrefixes: [] }],
    ["Host(`a.com`) || Host(`b.com`)", { hosts: ["a.com", "b.com"], pathPrefixes: [] }],
    ["Host(`a.com`, `b.com`)", { hosts: ["a.com", "b.com"], pathPrefixes: [] }],
    ["Host(`a.com`) && PathPrefix(`/api`)", { hosts: ["a.com"], pathPrefixes: ["/api"] }],
    ["(Host(`a.com`) || Host(`b.com`)) && PathPrefix(`/api`)", { hosts: ["a.com", "b.com"], pathPrefixes: ["/api"] }],
    ["PathPrefix(`/api`) || PathPrefix(`/admin`)", { hosts: [], pathPrefixes: ["/api", "/admin"] }],
    ["PathPrefix(`/`)", { hosts: [], pathPrefixes: [] }],
    ['Host("a.com")', { hosts: ["a.com"], pathPrefixes: [] }],
  ])("%s", (rule, route) => {
    expect(parseTraefikRule(rule)).toEqual(route);
  });

  test.each([
    "Host(`a.com`) || PathPrefix(`/api`)",
    "Host(`a.com`) && Host(`b.com`)",
    "HostRegexp(`{sub:[a-z]+}.a.com`)",
    "Host(`a.com`) && !PathPrefix(`/admin`)",
    "Host(`a.com`) && Headers(`X-Beta`, `1`)",
    "(Host(`a.com`)",
    "Host(`a.com`) ||",
  ])("%s has no kamal-proxy equivalent", (rule) => {
    expect(parseTraefikRule(rule)).toBeUndefined();
  });
});
