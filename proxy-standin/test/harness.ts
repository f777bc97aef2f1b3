// Test harness: the bundled stand-in as a real local process (HOME and XDG_RUNTIME_DIR in a temp dir, every
// port chosen by the OS), small node HTTP servers as targets, and a plain HTTP client.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli.ts";

let bundle: Promise<string> | undefined;

/**
 * Bundles the stand-in once per source state: the bundle lands in a temp directory named by a hash of the
 * sources, so test files share it, and is renamed into place so files running in parallel never see half of it.
 */
export function bundlePath(): Promise<string> {
  bundle ??= new Promise((resolve, reject) => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const sources = [join(root, "build.mjs"), ...readdirSync(join(root, "src")).sort().map((file) => join(root, "src", file))];
    const hash = createHash("sha256");
    for (const file of sources) hash.update(file).update(readFileSync(file));
    const dir = join(tmpdir(), `kp-bundle-${hash.digest("hex").slice(0, 16)}`);
    const out = join(dir, "kamal-proxy.js");
    if (existsSync(out)) return resolve(out);
    const staging = mkdtempSync(join(tmpdir(), "kp-bundle-staging-"));
    execFile(process.execPath, [join(root, "build.mjs"), join(staging, "kamal-proxy.js")], (err) => {
      if (err) return reject(err);
      try {
        renameSync(staging, dir);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another test file got there first
      }
      resolve(out);
    });
  });
  return bundle;
}

export type CliResult = { code: number; stdout: string; stderr: string; ms: number };

export type Proxy = {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  httpPort: number;
  httpsPort: number;
  logs: string[];
  /** The CLI's code run in this process against the server process: fast, for driving behaviour tests. */
  cli: (...args: string[]) => Promise<CliResult>;
  /** The bundled CLI as its own process, for tests of its exact output and exit status. */
  cliProcess: (...args: string[]) => Promise<CliResult>;
  restart: () => Promise<void>;
  stop: () => Promise<number | null>;
};

export async function startProxy(dir = mkdtempSync(join(tmpdir(), "kp-"))): Promise<Proxy> {
  const script = await bundlePath();
  const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, HTTP_PORT: "0", HTTPS_PORT: "0" };
  let child: ChildProcess | undefined;
  const proxy: Proxy = {
    dir,
    env,
    httpPort: 0,
    httpsPort: 0,
    logs: [],
    cli: (...args) => runCliInProcess(env, args),
    cliProcess: (...args) => runCli(script, env, args),
    restart: async () => {
      await proxy.stop();
      await boot();
    },
    stop: () =>
      new Promise((resolve) => {
        if (child === undefined || child.exitCode !== null) return resolve(child?.exitCode ?? null);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
  const boot = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(process.execPath, [script, "run"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let buffered = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          proxy.logs.push(line);
          const entry = JSON.parse(line) as { msg: string; http?: number; https?: number };
          if (entry.msg === "Server started") {
            proxy.httpPort = entry.http ?? 0;
            proxy.httpsPort = entry.https ?? 0;
            resolve();
          }
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => proxy.logs.push(chunk.toString()));
      child.once("exit", (code) => reject(new Error(`proxy exited with ${code}: ${proxy.logs.join("\n")}`)));
    });
  await boot();
  return proxy;
}

async function runCliInProcess(env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  const started = Date.now();
  let stdout = "";
  let stderr = "";
  const code = await main(args, env, { out: (text) => void (stdout += text), err: (text) => void (stderr += text) });
  return { code, stdout, stderr, ms: Date.now() - started };
}

function runCli(script: string, env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export type Upstream = {
  readonly name: string;
  readonly address: string;
  upStatus: number;
  upDelayMs: number;
  probes: http.IncomingHttpHeaders[];
  hits: number;
  /** every non-health request's URL, in arrival order: tests wait on these instead of sleeping */
  urls: string[];
  close: () => Promise<void>;
};

/** An echo upstream: `/` answers its name, `/up` answers `upStatus`, plus /echo, /slow, /hang and /big. */
export async function startUpstream(name: string, options: { upStatus?: number; port?: number; keepAliveMs?: number } = {}): Promise<Upstream> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://upstream");
    const param = (key: string) => Number(url.searchParams.get(key) ?? 0);
    if (url.pathname === "/up" || url.pathname === "/health") {
      upstream.probes.push(req.headers);
      const reply = () => res.writeHead(upstream.upStatus).end();
      return void (upstream.upDelayMs > 0 ? setTimeout(reply, upstream.upDelayMs) : reply());
    }
    upstream.hits++;
    upstream.urls.push(req.url ?? "/");
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (url.pathname === "/echo" || req.headers["x-echo"] !== undefined) {
        const rawQuery = (req.url ?? "").split("?").slice(1).join("?");
        const body = { name, method: req.method, path: (req.url ?? "").split("?")[0], rawQuery, headers: req.headers, bodyLength: Buffer.concat(chunks).length };
        return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      }
      if (url.pathname === "/slow") return void setTimeout(() => res.end(name), param("ms"));
      if (url.pathname === "/hang") return;
      if (url.pathname === "/big") return void res.end(Buffer.alloc(param("bytes"), "x"));
      if (url.pathname === "/boom") return void res.writeHead(500).end("boom");
      res.end(name);
    });
  });
  // Upgrades are accepted and then echoed back byte for byte, a stand-in for a WebSocket.
  server.on("upgrade", (req, socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\nX-Upstream: ${name}\r\n\r\n`);
    socket.on("error", () => socket.destroy());
    socket.pipe(socket);
  });
  if (options.keepAliveMs !== undefined) server.keepAliveTimeout = options.keepAliveMs;
  server.listen(options.port ?? 0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const upstream: Upstream = {
    name,
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    upStatus: options.upStatus ?? 200,
    upDelayMs: 0,
    probes: [],
    hits: 0,
    urls: [],
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return upstream;
}

export type Reply = { status: number; body: string; headers: http.IncomingHttpHeaders; ms: number };

export function request(
  port: number,
  path: string,
  options: { host?: string; method?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer | string; agent?: http.Agent } = {},
): Promise<Reply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1", port, path, method: options.method ?? "GET", agent: options.agent ?? false,
        headers: { Host: options.host ?? "app.test", ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers, ms: Date.now() - started }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Opens an upgraded connection through the proxy; resolves with the spliced socket and the 101 headers. */
export function openUpgrade(port: number, host: string): Promise<{ socket: Duplex; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/cable", agent: false, headers: { Host: host, Connection: "Upgrade", Upgrade: "websocket" } });
    req.on("upgrade", (res, socket) => resolve({ socket, headers: res.headers }));
    req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on("error", reject);
    req.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
