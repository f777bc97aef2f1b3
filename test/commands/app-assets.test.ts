import { describe, expect, it } from "vitest";
import * as assets from "../../src/commands/app-assets.ts";
import { hasAssets } from "../../src/commands/app.ts";
import { render } from "../../src/commands/shell.ts";
import { load, roleOf, TWO_ROLES } from "./fixtures.ts";

const config = load(TWO_ROLES("asset_path: /public/assets\n"));
const web = roleOf(config, "web");

describe("asset bridging", () => {
  it("applies to proxied roles with an asset path only", () => {
    expect(hasAssets(web)).toBe(true);
    expect(hasAssets(roleOf(config, "workers"))).toBe(false);
  });
  it("extracts the image's assets through a helper container", () => {
    expect(render(assets.extractAssets(config, web))).toBe(
      "mkdir -p .kamal/apps/app/assets/extracted/web-999 && docker container rm app-web-assets 2> /dev/null || true && docker container create --name app-web-assets dhh/app:999 && docker container cp -L app-web-assets:/public/assets/. .kamal/apps/app/assets/extracted/web-999 && docker container rm app-web-assets");
  });
  it("fills the new volume, and crosses old and new when there is an old version", () => {
    expect(render(assets.syncAssetVolumes(config, web))).toBe(
      "mkdir -p .kamal/apps/app/assets/volumes/web-999 ; cp -rnT .kamal/apps/app/assets/extracted/web-999 .kamal/apps/app/assets/volumes/web-999");
    expect(render(assets.syncAssetVolumes(config, web, { oldVersion: "998" }))).toBe(
      "mkdir -p .kamal/apps/app/assets/volumes/web-999 ; cp -rnT .kamal/apps/app/assets/extracted/web-999 .kamal/apps/app/assets/volumes/web-999 ; cp -rnT .kamal/apps/app/assets/extracted/web-999 .kamal/apps/app/assets/volumes/web-998 || true ; cp -rnT .kamal/apps/app/assets/extracted/web-998 .kamal/apps/app/assets/volumes/web-999 || true");
  });
  it("removes the other versions' asset directories", () => {
    expect(render(assets.cleanUpAssets(config, web))).toBe(
      "find .kamal/apps/app/assets/extracted -maxdepth 1 -name 'web-*' ! -name web-999 -exec rm -rf \"{}\" + ; find .kamal/apps/app/assets/volumes -maxdepth 1 -name 'web-*' ! -name web-999 -exec rm -rf \"{}\" +");
  });
});
