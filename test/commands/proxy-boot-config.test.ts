import { describe, expect, it } from "vitest";
import * as boot from "../../src/commands/proxy-boot-config.ts";
import { render } from "../../src/commands/shell.ts";

const DEFAULTS: boot.BootConfigOptions = { publish: true, httpPort: 80, httpsPort: 443, logMaxSize: "10m", debug: false, dockerOptions: [] };

describe("proxy boot-config files", () => {
  it("reads each file or its default", () => {
    expect(render(boot.readBootOptions())).toBe('cat .kamal/proxy/options 2> /dev/null || echo "--publish 80:80 --publish 443:443 --log-opt max-size=10m"');
    expect(render(boot.readImage())).toBe('cat .kamal/proxy/image 2> /dev/null || echo "basecamp/kamal-proxy"');
    expect(render(boot.readImageVersion())).toBe('cat .kamal/proxy/image_version 2> /dev/null || echo "v0.9.2"');
    expect(render(boot.readRunCommand())).toBe('cat .kamal/proxy/run_command 2> /dev/null || echo ""');
  });
  it("resets each file", () => {
    expect([boot.resetBootOptions(), boot.resetImage(), boot.resetImageVersion(), boot.resetRunCommand()].map((c) => render(c))).toEqual([
      "rm .kamal/proxy/options", "rm .kamal/proxy/image", "rm .kamal/proxy/image_version", "rm .kamal/proxy/run_command"]);
  });
  it("writes nothing for the defaults", () => {
    expect(boot.bootConfigFiles(DEFAULTS)).toEqual({ options: undefined, image: undefined, imageVersion: undefined, runCommand: undefined });
  });
  it("writes the settings that differ", () => {
    expect(boot.bootConfigFiles({ ...DEFAULTS, bindIps: ["127.0.0.1"], httpPort: 8080, metricsPort: 9090, debug: true,
      registry: "registry:4443", imageVersion: "v0.9.3", dockerOptions: ["cpus=2"] })).toEqual({
      options: "--publish 127.0.0.1:8080:80 --publish 127.0.0.1:443:443 --log-opt max-size=10m --expose=9090 --cpus=2",
      image: "registry:4443/basecamp/kamal-proxy",
      imageVersion: "v0.9.3",
      runCommand: 'kamal-proxy run --debug --metrics-port "9090"',
    });
    expect(boot.bootConfigFiles({ ...DEFAULTS, publish: false }).options).toBe("--log-opt max-size=10m");
  });
});
