// The CLI surface (checks I1–I9, E8, G3, H3, H5, H6): the same messages and exit codes as kamal-proxy v0.9.2.
// The table of messages runs the CLI's code in-process; the last two groups run the bundle as a process.
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundlePath, startProxy, startUpstream, type Proxy, type Upstream } from "./harness.ts";

let proxy: Proxy;
let e1: Upstream;

beforeAll(async () => {
  [proxy, e1] = await Promise.all([startProxy(), startUpstream("e1")]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), e1.close()]);
});

describe.concurrent("argument and flag errors", () => {
  test.each([
    [["deploy", "app-web"], 'Error: required flag(s) "target" not set'],
    [["deploy"], "Error: accepts 1 arg(s), received 0"],
    [["deploy", "a", "b", "--target=x1:80"], "Error: accepts 1 arg(s), received 2"],
    [["deploy", "a", "--target=x1:80", "--tls", "false"], "Error: accepts 1 arg(s), received 2"],
    [["deploy", "a", "--target=http://e1:80"], "Error: http://e1:80 :invalid host pattern"],
    [["deploy", "a", "--target=x1:80", "--deploy-timeout=30"], 'Error: invalid argument "30" for "--deploy-timeout" flag: time: missing unit in duration "30"'],
    [["deploy", "a", "--target=x1:80", "--bogus"], "Error: unknown flag: --bogus"],
    [["deploy", "a", "--target=x1:80", "--exclude-metrics-path=/up"], "Error: unknown flag: --exclude-metrics-path"],
    [["deploy", "a", "--target=x1:80", "--tls-on-demand-url=/ok"], "Error: unknown flag: --tls-on-demand-url"],
    [["deploy", "a", "--target=x1:80", "--client-ip-header=X-Real-IP"], "Error: unknown flag: --client-ip-header"],
    [["deploy", "a", "--target=x1:80", "--max-request-body=10"], "Error: max-request-body can only be set when request buffering is enabled"],
    [["deploy", "a", "--target=x1:80", "--max-response-body=10"], "Error: max-response-body can only be set when response buffering is enabled"],
    [["deploy", "a", "--target=x1:80", "--tls", "--host=t2.test", "--path-prefix=/api"], "Error: TLS settings must be specified on the root path service"],
    [["deploy", "a", "--target=x1:80", "--tls-certificate-path=/c.pem"], "Error: if any flags in the group [tls-certificate-path tls-private-key-path] are set they must all be set; missing [tls-private-key-path]"],
    [["deploy", "a", "--target=x1:80", "--canonical-host=x.test", "--host=t.test", "--host=www.t.test"], "Error: canonical-host 'x.test' must be present in the hosts list: [t.test www.t.test]"],
    [["stop", "nosuch"], "Error: service not found"],
    [["resume", "nosuch"], "Error: service not found"],
    [["pause", "nosuch"], "Error: service not found"],
    [["remove", "nosuch"], "Error: service not found"],
    [["rm", "nosuch"], "Error: service not found"],
    [["list", "extra"], 'Error: unknown command "extra" for "kamal-proxy list"'],
    [["rollout", "set", "app-web"], "Error: at least one of the flags in the group [percent list] is required"],
  ])("%j fails with exit 1 and %s", async (args, message) => {
    const result = await proxy.cli(...args);
    expect(result).toMatchObject({ code: 1, stdout: "", stderr: `${message}\n` });
  });
});

describe.concurrent("the bundled CLI as a process", () => {
  test("prints one Error line on stderr and exits 1", async () => {
    expect(await proxy.cliProcess("deploy", "a", "--target=x1:80", "--bogus")).toMatchObject({ code: 1, stdout: "", stderr: "Error: unknown flag: --bogus\n" });
    expect(await proxy.cliProcess("stop", "nosuch")).toMatchObject({ code: 1, stdout: "", stderr: "Error: service not found\n" });
  });

  test("an unknown command names itself and points at --help", async () => {
    const result = await proxy.cliProcess("frobnicate");
    expect(result).toMatchObject({ code: 1, stdout: "", stderr: 'Error: unknown command "frobnicate" for "kamal-proxy"\nRun \'kamal-proxy --help\' for usage.\n' });
  });

  test("a client without a running server reports the dial error", async () => {
    const orphan = await runWithEnv({ ...proxy.env, XDG_RUNTIME_DIR: "/nonexistent" }, ["list"]);
    expect(orphan).toMatchObject({ code: 1, stderr: "Error: dial unix /nonexistent/kamal-proxy.sock: connect: no such file or directory\n" });
  });

  test("help exits 0 and prints to stdout", async () => {
    const result = await proxy.cliProcess("deploy", "--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--deploy-timeout duration");
  });
});

describe("what Kamal 2.12 sends", () => {
  // Verbatim lines from Kamal's own test suite (conformance vectors), with the container ID swapped for a live
  // upstream, run through a shell exactly as SSH would run them.
  const lines = [
    'deploy app-web --target="TARGET" --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"',
    'deploy app-web --target="TARGET" --host="example.com" --tls --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"',
    'deploy app-web --target="TARGET" --host="example.com" --host="anotherexample.com" --tls --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"',
    'deploy app-web --target="TARGET" --deploy-timeout="6s" --drain-timeout="30s" --target-timeout="10s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"',
    'deploy custom-busybox --target="TARGET" --host="busybox.example.com" --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"',
    'deploy app-web --target="TARGET" --buffer-requests="false" --strip-path-prefix="false" --forward-headers="false"',
    "stop app-web",
    'stop app-web --drain-timeout="10s" --message="Hi"',
    "resume app-web",
    "remove custom-busybox",
  ];
  test("every line succeeds silently", { timeout: 30_000 }, async () => {
    const script = await bundlePath();
    for (const line of lines) {
      const command = `"${process.execPath}" "${script}" ${line.replace("TARGET", e1.address)}`;
      const result = await runWithEnv(proxy.env, ["-c", command], "/bin/sh");
      expect({ line, ...result, ms: 0 }).toEqual({ line, code: 0, stdout: "", stderr: "", ms: 0 });
    }
  });
});

function runWithEnv(env: NodeJS.ProcessEnv, args: string[], program?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return bundlePath().then(
    (script) =>
      new Promise((resolve) => {
        const [file, argv] = program === undefined ? [process.execPath, [script, ...args]] : [program, args];
        execFile(file, argv, { env }, (err, stdout, stderr) => {
          resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr });
        });
      }),
  );
}
