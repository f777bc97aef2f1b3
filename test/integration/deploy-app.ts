// A sextant app directory for the lab, the CLI run as a subprocess, and HTTP load through the hosts' proxies.
// Shared by the deploy tests and `npm run demo`.
import { execa } from "execa";
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builderEnv, type Lab } from "./lab/lab.ts";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const SEXTANT = join(ROOT, "dist/sextant.cjs");
export const SERVICE = "sample";
export const APP_HOST = "sample.test";
export const GIT_USER = "Lab Deployer";

export type AppOptions = {
  /** hosts the app deploys to (addresses); all of the lab's by default */
  readonly hosts?: readonly string[];
  /** extra `env: clear:` entries for the app containers (UP_FAIL=1 makes /up fail) */
  readonly env?: Readonly<Record<string, string>>;
  /** APP_VERSION build arg, which the page shows as `version:` */
  readonly appVersion: string;
};

/** The deploy.yml keys every lab app shares: the lab registry (password from LAB_PASSWORD) and the lab's ssh. */
export function labAccess(lab: Lab): string {
  return `registry:
  server: ${lab.registry.name}
  username: lab
  password: [LAB_PASSWORD]
ssh:
  user: ${lab.ssh.user}
  keys: [${lab.ssh.keyPath}]
  config: ${lab.ssh.configPath}
`;
}

/**
 * deploy.yml for the lab: one web role behind kamal-proxy (host sample.test), the lab registry, the lab's ssh
 * config and key, and the sample app as the build context. A short deploy timeout keeps a failing boot quick.
 */
export function deployYml(lab: Lab, opts: AppOptions): string {
  const hosts = opts.hosts ?? lab.hosts.map((h) => h.address);
  const env = Object.entries(opts.env ?? {});
  return `service: ${SERVICE}
image: sextant-lab/${SERVICE}
servers:
${hosts.map((h) => `  - ${h}`).join("\n")}
proxy:
  host: ${APP_HOST}
  app_port: 80
${labAccess(lab)}builder:
  arch: amd64
  context: app
  dockerfile: app/Dockerfile
  args:
    APP_VERSION: ${opts.appVersion}
deploy_timeout: 10
${env.length ? `env:\n  clear:\n${env.map(([k, v]) => `    ${k}: "${v}"`).join("\n")}\n` : ""}`;
}

/** Creates the app in `dir`: the sample app's sources, config, secrets, and a git repo with one commit. */
export async function writeApp(lab: Lab, dir: string, opts: AppOptions): Promise<void> {
  mkdirSync(join(dir, "config"), { recursive: true });
  mkdirSync(join(dir, ".kamal"), { recursive: true });
  mkdirSync(join(dir, ".docker"), { recursive: true });
  cpSync(join(ROOT, "fixtures/sample-app"), join(dir, "app"), { recursive: true });
  writeFileSync(join(dir, ".kamal/secrets"), "LAB_PASSWORD=lab-password\n");
  writeFileSync(join(dir, ".gitignore"), ".docker/\n");
  await initRepo(dir);
  await commitConfig(lab, dir, opts);
}

/** A git repository in `dir` with GIT_USER as its author: sextant takes versions and lock holders from git. */
export async function initRepo(dir: string): Promise<void> {
  const git = (...args: string[]) => execa("git", args, { cwd: dir });
  await git("init", "-q", "-b", "main");
  await git("config", "user.name", GIT_USER);
  await git("config", "user.email", "deployer@lab.test");
}

/** Rewrites config/deploy.yml and commits it, so the tree stays clean (no -dirty versions). */
export async function commitConfig(lab: Lab, dir: string, opts: AppOptions): Promise<void> {
  writeFileSync(join(dir, "config/deploy.yml"), deployYml(lab, opts));
  await execa("git", ["add", "-A"], { cwd: dir });
  await execa("git", ["commit", "-q", "--allow-empty", "-m", `app ${opts.appVersion}`], { cwd: dir });
}

export type Run = { readonly exitCode: number; readonly stdout: string; readonly stderr: string };

/**
 * `node dist/sextant.cjs ...args` in the app directory; never throws, the caller checks the exit code. `bin` is
 * another build of the same bundle (tests build their own, so a concurrent `npm run build` cannot swap files
 * under a running deploy).
 */
export async function sextant(
  lab: Lab, dir: string, args: readonly string[], opts: { env?: Record<string, string>; bin?: string } = {},
): Promise<Run> {
  const run = await execa(process.execPath, [opts.bin ?? SEXTANT, ...args], {
    cwd: dir,
    reject: false,
    env: { ...builderEnv(lab), DOCKER_CONFIG: join(dir, ".docker"), NO_COLOR: "1", ...opts.env },
  });
  return { exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/**
 * One GET (of / by default) through a host's kamal-proxy, without keep-alive, with `cookie` as its Cookie header if
 * given; resolves to the page or throws.
 */
export function getPage(address: string, timeoutMs = 5000, path = "/", cookie?: string): Promise<string> {
  const headers = cookie === undefined ? { Host: APP_HOST } : { Host: APP_HOST, Cookie: cookie };
  return new Promise((ok, fail) => {
    const req = request({ host: address, port: 80, path, agent: false, headers, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => (res.statusCode === 200 ? ok(body) : fail(new Error(`HTTP ${res.statusCode}: ${body.trim()}`))));
      res.on("error", fail);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", fail);
    req.end();
  });
}

/** The `version:` line of a page. */
export const pageVersion = (page: string): string | undefined => /^version: (.*)$/m.exec(page)?.[1];

export type HostLoad = { requests: number; failures: number; versions: Map<string, number>; errors: string[] };

/**
 * Continuous GET / on every address (`workers` loops each) until `stop()` was called and each address has had at
 * least `minimum` requests. Each response's version is counted, so a test sees the switch happened under load.
 * `cookie` gives each request its Cookie header (a canary's split keys off the kamal-rollout cookie).
 */
export function startLoad(addresses: readonly string[], opts: { minimum: number; workers?: number; cookie?: () => string }) {
  const perHost = new Map<string, HostLoad>(addresses.map((a) => [a, { requests: 0, failures: 0, versions: new Map(), errors: [] }]));
  let stopping = false;
  const loop = async (address: string, load: HostLoad) => {
    while (!stopping || load.requests < opts.minimum) {
      load.requests++;
      try {
        const version = pageVersion(await getPage(address, 5000, "/", opts.cookie?.())) ?? "?";
        load.versions.set(version, (load.versions.get(version) ?? 0) + 1);
      } catch (err) {
        load.failures++;
        if (load.errors.length < 5) load.errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  const running = Promise.all(
    [...perHost].flatMap(([address, load]) => Array.from({ length: opts.workers ?? 3 }, () => loop(address, load))),
  );
  return {
    perHost,
    /** Lets the loops end once every host reached the minimum; resolves with the figures. */
    async stop(): Promise<Map<string, HostLoad>> {
      stopping = true;
      await running;
      return perHost;
    },
  };
}

/** Loads the proxy stand-in back into hosts whose images `sextant remove` deleted (hosts cannot pull it). */
export async function reloadProxyImage(lab: Lab): Promise<void> {
  const cache = join(lab.dir, "cache");
  const archive = readdirSync(cache).find((f) => /^kamal-proxy-.*\.tar$/.test(f));
  if (!archive) throw new Error(`no kamal-proxy archive in ${cache}`);
  await Promise.all(lab.hosts.map((h) => execa(lab.builder.dockerBin, ["-H", h.dockerHost, "load", "-q", "-i", join(cache, archive)])));
}
