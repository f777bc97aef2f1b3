import { describe, expect, it } from "vitest";
import type { ContainerState } from "../../src/diagnose/container-state.ts";
import { unhealthyCause, type Evidence } from "../../src/diagnose/unhealthy-cause.ts";

const ID = "0123456789ab";
const URL = `http://${ID}:3000/up`;
const SETTINGS = { appPort: 3000, healthcheckTimeout: 5, deployTimeout: 30, optionsPath: "servers/web/options" };
const RUNNING: ContainerState = { status: "running", exitCode: 0, oomKilled: false, restarts: 0, memoryLimit: 0 };
const FORCE_SSL =
  "the app redirects its health check to HTTPS (Rails' force_ssl): exclude it with `config.ssl_options = { redirect: { exclude: ->(request) { request.path == \"/up\" } } }`, or let kamal-proxy terminate TLS (proxy.ssl) and set `config.assume_ssl = true`";

const checked = (error: string, more: Partial<Evidence> = {}): Evidence => ({
  checks: [{ url: URL, error: "request timed out" }, { url: URL, error }], state: RUNNING, logTail: "", ...more,
});
const cause = (evidence: Evidence) => unhealthyCause(evidence, SETTINGS);

describe("why a new container never became healthy", () => {
  it("a 404: the health check path is wrong", () => {
    expect(cause(checked("unexpected status (404)"))).toEqual({
      summary: "GET /up answered 404",
      fix: "the app has no /up route: add one that answers 200 (Rails 7.1+ has /up), or set proxy.healthcheck.path to a path it answers",
    });
  });

  it("a 500: the app fails its own check", () => {
    expect(cause(checked("unexpected status (500)"))).toEqual({
      summary: "GET /up answered 500",
      fix: "the app fails its own health check; its log says why (the last lines show with -v)",
    });
  });

  it("a 301 answered without a Location: a redirect, typically force_ssl", () => {
    expect(cause(checked("unexpected status (301)"))).toEqual({ summary: "GET /up answered 301 (a redirect)", fix: FORCE_SSL });
  });

  it("a redirect to HTTPS that kamal-proxy followed and failed: force_ssl", () => {
    const error = `Get "https://${ID}/up": dial tcp 172.18.0.5:443: connect: connection refused`;
    expect(cause(checked(error))).toEqual({
      summary: "GET /up redirects to https://…/up, which failed",
      fix: FORCE_SSL,
    });
  });

  it("a redirect to another plain HTTP page that fails", () => {
    expect(cause(checked(`Get "http://${ID}:3000/login": dial tcp 172.18.0.5:3000: connect: connection refused`))).toEqual({
      summary: "GET /up redirects to http://…/login, which failed",
      fix: "kamal-proxy follows redirects; make /up answer 200 itself",
    });
  });

  it("a redirect loop", () => {
    expect(cause(checked(`Get "${URL}": stopped after 10 redirects`))).toEqual({
      summary: "GET /up redirects in a loop (stopped after 10 redirects)", fix: FORCE_SSL,
    });
  });

  describe("connection refused", () => {
    const refused = `Get "${URL}": dial tcp 172.18.0.5:3000: connect: connection refused`;
    it("names the port the app's log says it listens on", () => {
      expect(cause(checked(refused, { logTail: "=> Booting Puma\n* Listening on http://0.0.0.0:8080\nUse Ctrl-C to stop" }))).toEqual({
        summary: "nothing listens on port 3000: the app's log says it listens on 0.0.0.0:8080",
        fix: "set proxy.app_port: 8080, or make the app listen on port 3000",
      });
    });

    it("says when the app listens on loopback only", () => {
      expect(cause(checked(refused, { logTail: "Server running at http://127.0.0.1:3000/" }))).toEqual({
        summary: "the app listens on 127.0.0.1:3000, which only the container itself can reach",
        fix: "make it listen on 0.0.0.0 (e.g. `bin/rails server -b 0.0.0.0`, HOST=0.0.0.0)",
      });
    });

    it("without a word from the app: nothing listening, or still booting", () => {
      expect(cause(checked(refused, { logTail: "booting..." }))).toEqual({
        summary: "nothing listens on port 3000 in the new container (connection refused)",
        fix: "make the app listen on 0.0.0.0:3000 or set proxy.app_port to its port; if it was still booting, raise deploy_timeout (now 30s)",
      });
    });
  });

  it("a timeout: slow boot or slow check", () => {
    const expected = {
      summary: "GET /up did not answer within 5s",
      fix: "the app boots or answers slowly: raise deploy_timeout (now 30s) or proxy.healthcheck.timeout (now 5s)",
    };
    expect(cause(checked("request timed out"))).toEqual(expected);
    expect(cause(checked(`Get "${URL}": dial tcp 172.18.0.5:3000: i/o timeout`))).toEqual(expected);
  });

  it("a container kamal-proxy cannot resolve", () => {
    expect(cause(checked(`Get "${URL}": dial tcp: lookup ${ID} on 127.0.0.11:53: no such host`))).toEqual({
      summary: `kamal-proxy cannot reach the new container: dial tcp: lookup ${ID} on 127.0.0.11:53: no such host`,
      fix: "the container must be on the kamal network; remove any `network` option under servers/web/options",
    });
  });

  it("any other failure is named as kamal-proxy saw it", () => {
    expect(cause(checked(`Get "${URL}": EOF`))).toEqual({
      summary: "GET /up failed: EOF", fix: "check that the app answers plain HTTP on proxy.app_port",
    });
  });

  it("an exited container outweighs what the checks saw, and its last log line is the fix's lead", () => {
    const state: ContainerState = { ...RUNNING, status: "exited", exitCode: 1 };
    expect(cause(checked("request timed out", { state, logTail: "booting\nKeyError: key not found: \"DATABASE_URL\"\n" }))).toEqual({
      summary: "the new container exited with code 1",
      fix: "it stops while booting; its log ends with: KeyError: key not found: \"DATABASE_URL\"",
    });
  });

  it("a container in a restart loop", () => {
    const state: ContainerState = { ...RUNNING, status: "restarting", exitCode: 2, restarts: 4 };
    expect(cause({ checks: [], state, logTail: "" })).toEqual({
      summary: "the new container keeps crashing (exit code 2, restarted 4 times)",
      fix: "it stops while booting and logged nothing; run its command by hand (`sextant app exec`)",
    });
  });

  it("an OOM kill names the memory limit", () => {
    const state: ContainerState = { ...RUNNING, status: "exited", exitCode: 137, oomKilled: true, memoryLimit: 64 * 1024 * 1024 };
    expect(cause(checked("request timed out", { state }))).toEqual({
      summary: "the new container ran out of memory and was killed (exit code 137; its memory limit is 64 MiB)",
      fix: "raise the limit (`memory:` under servers/web/options) or make the app use less",
    });
  });

  it("an OOM kill without a limit", () => {
    const state: ContainerState = { ...RUNNING, status: "restarting", exitCode: 137, oomKilled: true, restarts: 1 };
    expect(cause({ checks: [], state, logTail: "" })).toEqual({
      summary: "the new container ran out of memory and was killed (exit code 137; it has no memory limit, so the host ran out)",
      fix: "give the host more memory, or make the app use less",
    });
  });

  it("names no cause when nothing was seen", () => {
    expect(cause({ checks: [], state: RUNNING, logTail: "fine" })).toBeUndefined();
    expect(cause({ checks: [], state: undefined, logTail: "" })).toBeUndefined();
  });
});
