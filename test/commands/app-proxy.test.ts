import { describe, expect, it } from "vitest";
import * as appProxy from "../../src/commands/app-proxy.ts";
import { render } from "../../src/commands/shell.ts";
import { BASE, load, roleOf, TWO_ROLES } from "./fixtures.ts";

const DEFAULTS = '--deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"';

describe("app behind kamal-proxy", () => {
  const config = load(TWO_ROLES("proxy:\n  hosts:\n  - example.com\n  - anotherexample.com\n  ssl: true\n"));
  const web = roleOf(config, "web");

  it("deploys with the hosts and TLS", () => {
    expect(render(appProxy.deploy(config, web, "172.1.0.2"))).toBe(
      `docker exec kamal-proxy kamal-proxy deploy app-web --target="172.1.0.2:80" --host="example.com" --host="anotherexample.com" --tls ${DEFAULTS}`);
  });
  it("removes, resumes and pauses the service", () => {
    expect(render(appProxy.remove(web))).toBe("docker exec kamal-proxy kamal-proxy remove app-web");
    expect(render(appProxy.live(web))).toBe("docker exec kamal-proxy kamal-proxy resume app-web");
    expect(render(appProxy.maintenance(web, { drainTimeout: 30 }))).toBe('docker exec kamal-proxy kamal-proxy stop app-web --drain-timeout="30s"');
    expect(render(appProxy.maintenance(web, { drainTimeout: 10, message: "Back soon" }))).toBe(
      'docker exec kamal-proxy kamal-proxy stop app-web --drain-timeout="10s" --message="Back soon"');
  });
  it("refuses a role that does not run the proxy", () => {
    expect(() => appProxy.deploy(config, roleOf(config, "workers"), "x")).toThrow("role workers does not run behind kamal-proxy");
  });

  it("sends every proxy option in Kamal's order", () => {
    const loaded = load(`${BASE.replace("service: app", "service: shop")}servers:
  web:
    hosts:
    - 1.1.1.1
    proxy:
      host: shop.example.com
      app_port: 3000
      ssl:
        certificate_pem: CERT_PEM
        private_key_pem: KEY_PEM
      healthcheck:
        interval: 2
        timeout: 4
        path: /up
      response_timeout: 20
      buffering:
        requests: false
        max_request_body: 1000000
      path_prefixes:
      - /api
      - /admin
      strip_path_prefix: false
      forward_headers: true
      logging:
        request_headers:
        - X-Request-Id
drain_timeout: 15
error_pages_path: public
`, { destination: "staging", version: "abc1234def", secrets: { CERT_PEM: "cert", KEY_PEM: "key" } });
    expect(render(appProxy.deploy(loaded, roleOf(loaded, "web"), "c0ffee123456"))).toBe(
      'docker exec kamal-proxy kamal-proxy deploy shop-web-staging --target="c0ffee123456:3000" --host="shop.example.com" --tls --tls-certificate-path="/home/kamal-proxy/.apps-config/shop-staging/tls/web/cert.pem" --tls-private-key-path="/home/kamal-proxy/.apps-config/shop-staging/tls/web/key.pem" --deploy-timeout="30s" --drain-timeout="15s" --health-check-interval="2s" --health-check-timeout="4s" --health-check-path="/up" --target-timeout="20s" --buffer-requests="false" --buffer-responses --max-request-body="1000000" --path-prefix="/api" --path-prefix="/admin" --strip-path-prefix="false" --forward-headers --log-request-header="X-Request-Id" --error-pages="/home/kamal-proxy/.apps-config/shop-staging/error_pages/abc1234def"');
    expect(appProxy.tlsCertificatePaths(loaded, roleOf(loaded, "web"))).toEqual({
      cert: ".kamal/proxy/apps-config/shop-staging/tls/web/cert.pem",
      key: ".kamal/proxy/apps-config/shop-staging/tls/web/key.pem",
    });
    expect(render(appProxy.createSslDirectory(loaded, roleOf(loaded, "web")))).toBe("mkdir -p .kamal/proxy/apps-config/shop-staging/tls/web");
  });

  it("manages the app's kamal-proxy directories", () => {
    expect(render(appProxy.removeProxyAppDirectory(config))).toBe("rm -r .kamal/proxy/apps-config/app");
    expect(render(appProxy.createErrorPagesDirectory(config))).toBe("mkdir -p .kamal/proxy/apps-config/app/error_pages");
    expect(render(appProxy.cleanUpErrorPages(load(TWO_ROLES(), { version: "latest" })))).toBe(
      "find .kamal/proxy/apps-config/app/error_pages -mindepth 1 -maxdepth 1 ! -name latest -exec rm -rf {} +");
  });
});
