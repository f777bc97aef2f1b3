import { describe, expect, test } from "vitest";
import { select } from "../../src/config/selection.ts";
import { configFromYaml } from "../support/config.ts";

// Cases from Kamal's test/commander_test.rb, with its fixtures written inline.
const BASE = `
image: dhh/app
registry: { server: registry.digitalocean.com, username: user, password: pw }
builder: { arch: amd64 }
`;
const withRoles = configFromYaml(`service: app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers:
    hosts: [1.1.1.3, 1.1.1.4]
${BASE}`);

const names = (roles: readonly { name: string }[]) => roles.map((role) => role.name);

describe("host filter (-h)", () => {
  test.each([
    [undefined, ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]],
    ["1.1.1.1,1.1.1.2", ["1.1.1.1", "1.1.1.2"]],
    ["1.1.1.1*", ["1.1.1.1"]],
    ["1.1.1.*,*.1.2.*", ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]],
    ["*", ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]],
    ["1.1.1.[12]", ["1.1.1.1", "1.1.1.2"]],
  ])("-h %s selects %j", (hosts, expected) => {
    expect(select(withRoles, { hosts }).hosts).toEqual(expected);
  });

  test("a filter that matches nothing is an error naming the patterns", () => {
    expect(() => select(withRoles, { hosts: "*miss,nope" })).toThrow("No --hosts match for *miss,nope");
  });

  test("roles without a selected host drop out", () => {
    expect(names(select(withRoles, { hosts: "1.1.1.3" }).roles)).toEqual(["workers"]);
  });

  test("the first matched host is the primary host", () => {
    expect(select(withRoles, { hosts: "1.1.1.3" }).primaryHost).toBe("1.1.1.3");
    expect(select(withRoles, { hosts: "1.1.1.3" }).primaryRole?.name).toBe("workers");
  });
});

describe("role filter (-r)", () => {
  test.each([
    ["workers", ["workers"]],
    ["w*", ["web", "workers"]],
    ["we*,*orkers", ["web", "workers"]],
    ["*", ["web", "workers"]],
    ["w{eb,orkers}", ["web", "workers"]],
  ])("-r %s selects %j", (roles, expected) => {
    expect(names(select(withRoles, { roles }).roles)).toEqual(expected);
  });

  test("keeps only the hosts of the selected roles", () => {
    expect(select(withRoles, { roles: "web" }).hosts).toEqual(["1.1.1.1", "1.1.1.2"]);
  });

  test("a filter that matches nothing is an error", () => {
    expect(() => select(withRoles, { roles: "*miss" })).toThrow("No --roles match for *miss");
  });

  test("the first host of the selected role is the primary host", () => {
    const selection = select(withRoles, { roles: "workers" });
    expect(selection.primaryHost).toBe("1.1.1.3");
    expect(selection.primaryRole?.name).toBe("workers");
    expect(selection.rolesFilter).toEqual(["workers"]);
  });

  test("prefers the configured primary role among the matches", () => {
    const config = configFromYaml(`service: app
servers:
  web_chicago:
    proxy: {}
    hosts: [1.1.1.1, 1.1.1.2]
  web_tokyo:
    proxy: {}
    hosts: [1.1.1.3, 1.1.1.4]
primary_role: web_tokyo
${BASE}`);
    const selection = select(config, { roles: "web_*" });
    expect(names(selection.roles)).toEqual(["web_tokyo", "web_chicago"]);
    expect(selection.primaryRole?.name).toBe("web_tokyo");
    expect(selection.primaryHost).toBe("1.1.1.3");
    expect(selection.hosts).toEqual(["1.1.1.3", "1.1.1.4", "1.1.1.1", "1.1.1.2"]);
  });
});

describe("primary (-p)", () => {
  test("narrows to the configured primary host", () => {
    expect(select(withRoles, { primary: true }).hosts).toEqual(["1.1.1.1"]);
  });

  test("with -r, narrows to the first host of the first selected role", () => {
    expect(select(withRoles, { roles: "workers", primary: true }).hosts).toEqual(["1.1.1.3"]);
  });
});

describe("defaults and ordering", () => {
  test("the primary role and its first host lead", () => {
    const selection = select(withRoles);
    expect(names(selection.roles)).toEqual(["web", "workers"]);
    expect(selection.primaryRole?.name).toBe("web");
    expect(selection.primaryHost).toBe("1.1.1.1");
  });

  test("roles on a host list the primary role first", () => {
    const config = configFromYaml(`service: app
servers:
  workers: { hosts: [1.1.1.1] }
  web: { hosts: [1.1.1.1] }
${BASE}`);
    expect(names(select(config).rolesOnHost("1.1.1.1"))).toEqual(["web", "workers"]);
  });

  test("hosts of the primary role come first even when its name sorts later", () => {
    const config = configFromYaml(`service: app
servers:
  workers: [1.1.1.1, 1.1.1.2]
  web: [1.1.1.3, 1.1.1.4]
primary_role: workers
${BASE}`);
    expect(select(config).hosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]);
    expect(select(config).appHosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]);
  });

  test("hostsForRole keeps the selection's order", () => {
    const selection = select(withRoles, { hosts: "1.1.1.4,1.1.1.3" });
    expect(selection.hostsForRole(withRoles.roles[1]!)).toEqual(["1.1.1.4", "1.1.1.3"]);
  });
});

describe("proxy and accessory hosts", () => {
  const proxied = configFromYaml(`service: app
servers:
  web: { hosts: [1.1.1.1, 1.1.1.2], proxy: true }
  web_tokyo: { hosts: [1.1.1.3, 1.1.1.4], proxy: true }
  workers: { hosts: [1.1.1.1, 1.1.1.2] }
  workers_tokyo: { hosts: [1.1.1.3, 1.1.1.4] }
${BASE}`);

  test("proxy hosts follow the role filter", () => {
    expect(select(proxied, { roles: "web_tokyo" }).proxyHosts).toEqual(["1.1.1.3", "1.1.1.4"]);
  });

  test("proxy hosts follow the host filter", () => {
    expect(select(proxied, { hosts: "1.1.1.2" }).proxyHosts).toEqual(["1.1.1.2"]);
  });

  const accessories = configFromYaml(`service: app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers: [1.1.1.3, 1.1.1.4]
accessories:
  mysql: { image: mysql:5.7, host: 1.1.1.5 }
  redis: { image: redis:latest, roles: [web] }
${BASE}`);

  test("accessory hosts in accessory order", () => {
    expect(select(accessories).accessoryHosts).toEqual(["1.1.1.5", "1.1.1.1", "1.1.1.2"]);
    expect(select(accessories).hosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5"]);
  });

  test("a role filter drops hosts that only run accessories", () => {
    expect(select(accessories, { roles: "web" }).accessoryHosts).toEqual(["1.1.1.1", "1.1.1.2"]);
    expect(select(accessories, { roles: "workers" }).accessoryHosts).toEqual([]);
  });
});

describe("configs without roles", () => {
  const accessoriesOnly = configFromYaml(`service: app
accessories:
  db: { image: mysql, hosts: [1.1.1.5, 1.1.1.6] }
${BASE}`);

  test("select every accessory host, with no primary role", () => {
    const selection = select(accessoriesOnly);
    expect([selection.hosts, selection.accessoryHosts, selection.appHosts]).toEqual([["1.1.1.5", "1.1.1.6"], ["1.1.1.5", "1.1.1.6"], []]);
    expect([selection.primaryHost, selection.primaryRole]).toEqual(["", undefined]);
  });

  test("-h still filters accessory hosts", () => {
    expect(select(accessoriesOnly, { hosts: "*.6" }).accessoryHosts).toEqual(["1.1.1.6"]);
  });
});
