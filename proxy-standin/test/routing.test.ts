// Host and path routing, catch-alls, wildcards and conflicts (checks D1–D9, E1).
import { afterAll, beforeAll, expect, test } from "vitest";
import { request, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e: Upstream[];

const body = async (host: string, path = "/") => {
  const reply = await request(proxy.httpPort, path, { host });
  return reply.status === 200 ? reply.body : reply.status;
};
const echo = async (host: string, path: string) =>
  JSON.parse((await request(proxy.httpPort, path, { host, headers: { "X-Echo": "1" } })).body) as { name: string; path: string; rawQuery: string };
const deploy = (...args: string[]) => proxy.cli("deploy", ...args);

beforeAll(async () => {
  [proxy, ...e] = await Promise.all([startProxy(), ...[0, 1, 2, 3, 4, 5].map((i) => startUpstream(`e${i}`))]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), ...e.map((u) => u.close())]);
});
const target = (i: number) => `--target=${e[i]?.address}`;

test("routes by host, ignores the port, and answers 404 for unknown hosts", async () => {
  await deploy("s1", target(1), "--host=a.test");
  await deploy("s2", target(2), "--host=b.test");
  expect(await body("a.test")).toBe("e1");
  expect(await body("b.test")).toBe("e2");
  expect(await body("a.test:8080")).toBe("e1");
  const miss = await request(proxy.httpPort, "/", { host: "c.test" });
  expect(miss.status).toBe(404);
  expect(miss.headers["content-type"]).toBe("text/html; charset=utf-8");
  expect(miss.body).toContain("404 — Not Found");
});

test("sends unknown hosts to a catch-all, and refuses a second catch-all", async () => {
  await deploy("s3", target(3));
  expect(await body("c.test")).toBe("e3");
  expect(await body("a.test")).toBe("e1");
  const second = await deploy("s5", target(5));
  expect(second).toMatchObject({ code: 1, stderr: "Error: host settings conflict with another service\n" });
});

test("refuses a host another service owns until that service is removed; redeploying itself is fine", async () => {
  const conflict = await deploy("s4", target(4), "--host=a.test");
  expect(conflict).toMatchObject({ code: 1, stderr: "Error: host settings conflict with another service\n" });
  expect(await body("a.test")).toBe("e1");
  expect((await deploy("s1", target(1), "--host=a.test")).code).toBe(0);
  expect((await proxy.cli("remove", "s1")).code).toBe(0);
  expect((await deploy("s4", target(4), "--host=a.test")).code).toBe(0);
  expect(await body("a.test")).toBe("e4");
});

test("removes a service at once; removing it again fails", async () => {
  expect((await proxy.cli("remove", "s2")).code).toBe(0);
  expect(await body("b.test")).toBe("e3");
  expect(await proxy.cli("remove", "s2")).toMatchObject({ code: 1, stderr: "Error: service not found\n" });
  expect((await proxy.cli("list")).stdout).not.toContain("s2");
});

test("matches a wildcard on exactly one label, and an exact host wins over it", async () => {
  await deploy("w", target(5), "--host=*.w.test");
  expect(await body("x.w.test")).toBe("e5");
  expect(await body("x.y.w.test")).toBe("e3");
  expect(await body("w.test")).toBe("e3");
  await deploy("exact", target(0), "--host=x.w.test");
  expect(await body("x.w.test")).toBe("e0");
  expect(await body("z.w.test")).toBe("e5");
});

test("routes path prefixes on segment boundaries, strips them, and keeps the raw query", async () => {
  await deploy("api", target(1), "--host=a2.test", "--path-prefix=/api");
  await deploy("web", target(2), "--host=a2.test");
  expect(await echo("a2.test", "/api/users?x=1;y")).toMatchObject({ name: "e1", path: "/users", rawQuery: "x=1;y" });
  expect(await echo("a2.test", "/api")).toMatchObject({ name: "e1", path: "/" });
  expect(await echo("a2.test", "/apix")).toMatchObject({ name: "e2", path: "/apix" });
  expect(await echo("a2.test", "/")).toMatchObject({ name: "e2" });
  await deploy("api", target(1), "--host=a2.test", "--path-prefix=api/", "--strip-path-prefix=false");
  expect(await echo("a2.test", "/api/users?%x")).toMatchObject({ name: "e1", path: "/api/users", rawQuery: "%x" });
});

test("does not fall through to the catch-all once a host has bindings", async () => {
  await deploy("api3", target(1), "--host=a3.test", "--path-prefix=/api");
  expect(await body("a3.test", "/")).toBe(404);
  expect(await body("a3.test", "/api/x")).toBe("e1");
});

test("prefers the longest matching prefix", async () => {
  await deploy("x1", target(1), "--host=a4.test", "--path-prefix=/x");
  await deploy("x2", target(2), "--host=a4.test", "--path-prefix=/x/y");
  expect(await echo("a4.test", "/x/y/z")).toMatchObject({ name: "e2", path: "/z" });
  expect(await echo("a4.test", "/x/z")).toMatchObject({ name: "e1", path: "/z" });
});

test("splits comma-separated hosts, lists them joined, and sorts the list by name", async () => {
  await deploy("multi", target(0), "--host=m1.test,m2.test");
  expect(await body("m2.test")).toBe("e0");
  const plain = (await proxy.cli("ls")).stdout.replace(/\x1b\[[\d;]*m/g, "");
  const names = plain.split("\n").slice(1, -1).map((line) => line.split(" ")[0]);
  expect(names).toEqual([...names].sort());
  expect(plain).toMatch(/multi +m1\.test,m2\.test +\/ /);
  expect(plain).toMatch(/api +a2\.test +\/api /);
});
