import { describe, expect, test } from "vitest";
import { findConfig, searchedPlaces, type ConfigSearch } from "../../src/config/find-config.ts";

// A file system as a set of paths: the search only asks whether a path exists.
const fs = (...paths: string[]) => (path: string) => paths.includes(path);

describe("findConfig", () => {
  test("finds config/deploy.yml in the start directory", () => {
    expect(findConfig("/app", fs("/app/config/deploy.yml"))).toEqual({ found: true, root: "/app" });
  });

  test("finds the nearest config/deploy.yml above a subdirectory", () => {
    const exists = fs("/work/config/deploy.yml", "/work/app/config/deploy.yml");
    expect(findConfig("/work/app/src/lib", exists)).toEqual({ found: true, root: "/work/app" });
    expect(findConfig("/work/app/config", exists)).toEqual({ found: true, root: "/work/app" });
  });

  test("stops at the root of the git repository and does not look above it", () => {
    const exists = fs("/home/me/config/deploy.yml", "/home/me/app/.git");
    expect(findConfig("/home/me/app/src", exists)).toEqual({ found: false, start: "/home/me/app/src", stop: "/home/me/app", reason: "git" });
  });

  test("a config next to .git is still found", () => {
    expect(findConfig("/app/src", fs("/app/.git", "/app/config/deploy.yml"))).toEqual({ found: true, root: "/app" });
  });

  test("outside a repository it stops at the filesystem root", () => {
    expect(findConfig("/tmp/x/", fs())).toEqual({ found: false, start: "/tmp/x", stop: "/", reason: "filesystem" });
  });
});

describe("searchedPlaces", () => {
  const missing = (search: ConfigSearch) => (search.found ? "" : searchedPlaces(search));

  test("names the start and where the search stopped, and why", () => {
    expect(missing(findConfig("/home/me/app/src", fs("/home/me/app/.git")))).toBe(
      "looked in /home/me/app/src and each parent up to /home/me/app (the root of its git repository)",
    );
    expect(missing(findConfig("/tmp/x", fs()))).toBe("looked in /tmp/x and each parent up to / (the filesystem root)");
    expect(missing(findConfig("/app", fs("/app/.git")))).toBe("looked only in /app (the root of its git repository)");
  });
});
