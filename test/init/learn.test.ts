import { describe, expect, test } from "vitest";
import { exposedPort, parseRemote, serviceName, settingsFrom } from "../../src/init/learn.ts";

describe("serviceName", () => {
  test("drops the scope and makes the name one Kamal accepts", () => {
    expect(serviceName("shop")).toBe("shop");
    expect(serviceName("@acme/shop-web")).toBe("shop-web");
    expect(serviceName("@acme/Web.App")).toBe("web-app");
    expect(serviceName("my_app..v2")).toBe("my_app-v2");
    expect(serviceName(".hidden.")).toBe("hidden");
    expect(serviceName("@scope/...")).toBeUndefined();
  });
});

describe("parseRemote", () => {
  test("reads every URL form git accepts", () => {
    const github = { host: "github.com", owner: "Acme", repo: "shop" };
    expect(parseRemote("git@github.com:Acme/shop.git")).toEqual(github);
    expect(parseRemote("https://github.com/Acme/shop.git")).toEqual(github);
    expect(parseRemote("https://github.com/Acme/shop")).toEqual(github);
    expect(parseRemote("https://x-access-token:abc@github.com/Acme/shop.git\n")).toEqual(github);
    expect(parseRemote("ssh://git@GitHub.com:22/Acme/shop.git/")).toEqual(github);
    expect(parseRemote("git@gitlab.com:group/sub/app.git")).toEqual({ host: "gitlab.com", owner: "sub", repo: "app" });
  });

  test("a local path or a URL without owner and repository says nothing", () => {
    expect(parseRemote("/srv/git/shop.git")).toBeUndefined();
    expect(parseRemote("../shop.git")).toBeUndefined();
    expect(parseRemote("file:///srv/git/shop.git")).toBeUndefined();
    expect(parseRemote("https://example.com/shop.git")).toBeUndefined();
  });
});

describe("exposedPort", () => {
  test("takes the first numeric port of the first EXPOSE that has one", () => {
    expect(exposedPort("FROM node:20\nEXPOSE 3000\n")).toBe(3000);
    expect(exposedPort("FROM node:20\nexpose 8080/tcp 9090\nEXPOSE 80\n")).toBe(8080);
    expect(exposedPort("ARG PORT=3000\nEXPOSE $PORT\nEXPOSE 4000\n")).toBe(4000);
  });

  test("no EXPOSE: no port", () => {
    expect(exposedPort("FROM node:20\nCMD [\"node\", \"server.js\"]\n")).toBeUndefined();
    expect(exposedPort("EXPOSE ${PORT}\n")).toBeUndefined();
  });
});

describe("settingsFrom", () => {
  test("a GitHub remote gives the image and ghcr.io; each thing learned is one line saying where from", () => {
    const { settings, learned } = settingsFrom({
      packageName: "@acme/shop-web",
      originUrl: "git@github.com:Acme/Shop.git",
      dockerfile: "EXPOSE 3000\n",
      schemaPath: "../node_modules/sextant-deploy/docs/deploy.schema.json",
    });
    expect(settings).toEqual({
      service: "shop-web",
      image: "acme/shop",
      registry: { server: "ghcr.io", username: "Acme" },
      appPort: 3000,
      schemaPath: "../node_modules/sextant-deploy/docs/deploy.schema.json",
    });
    expect(learned).toMatchInlineSnapshot(`
      [
        "From package.json: service: shop-web",
        "From git remote origin: image: acme/shop, registry: ghcr.io as Acme",
        "From Dockerfile: proxy app_port: 3000 (EXPOSE)",
      ]
    `);
  });

  test("another host gives the image only; nothing known keeps the placeholders", () => {
    const other = settingsFrom({ packageName: undefined, originUrl: "git@git.example.com:team/api.git", dockerfile: undefined, schemaPath: "s" });
    expect(other.settings).toMatchObject({ service: "my-app", image: "team/api", registry: { server: undefined, username: "my-user" } });
    expect(other.learned).toEqual(["From git remote origin: image: team/api (set registry server and username for your registry)"]);
    const none = settingsFrom({ packageName: "shop", originUrl: undefined, dockerfile: "FROM scratch\n", schemaPath: "s" });
    expect(none.settings).toMatchObject({ service: "shop", image: "my-user/shop", appPort: undefined });
  });
});
