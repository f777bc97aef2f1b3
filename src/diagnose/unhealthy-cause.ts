// Why a new container never became healthy, in one line with its fix, from what the host saw: kamal-proxy's failed
// checks, the container's state and its last log lines. Pure: the flow (flows/diagnose-boot.ts) gathers the evidence.
import type { ContainerState } from "./container-state.ts";
import { isLoopback, listeningAddress } from "./listening-address.ts";
import type { FailedCheck } from "./proxy-log.ts";

export type Evidence = {
  /** kamal-proxy's failed checks of this container, oldest first (none for roles without the proxy) */
  readonly checks: readonly FailedCheck[];
  readonly state: ContainerState | undefined;
  readonly logTail: string;
};

/** The settings a fix names, with the values in force. */
export type Settings = {
  readonly appPort: number;
  readonly healthcheckTimeout: number;
  readonly deployTimeout: number;
  /** where the role's docker options are written, e.g. `servers/web/options` */
  readonly optionsPath: string;
};

export type UnhealthyCause = { readonly summary: string; readonly fix: string };

const FORCE_SSL_FIX =
  "the app redirects its health check to HTTPS (Rails' force_ssl): exclude it with " +
  "`config.ssl_options = { redirect: { exclude: ->(request) { request.path == \"/up\" } } }`, " +
  "or let kamal-proxy terminate TLS (proxy.ssl) and set `config.assume_ssl = true`";

/** The cause, or undefined when the evidence names none (the caller keeps the original error). */
export function unhealthyCause(evidence: Evidence, settings: Settings): UnhealthyCause | undefined {
  return fromState(evidence, settings) ?? fromCheck(evidence, settings);
}

function fromState({ state, logTail }: Evidence, settings: Settings): UnhealthyCause | undefined {
  if (state === undefined) return undefined;
  if (state.oomKilled) {
    const limit = state.memoryLimit > 0 ? `its memory limit is ${mebibytes(state.memoryLimit)}` : "it has no memory limit, so the host ran out";
    return {
      summary: `the new container ran out of memory and was killed (exit code ${state.exitCode}; ${limit})`,
      fix: state.memoryLimit > 0
        ? `raise the limit (\`memory:\` under ${settings.optionsPath}) or make the app use less`
        : "give the host more memory, or make the app use less",
    };
  }
  const stopped = state.status === "exited" || state.status === "dead";
  if (!stopped && state.status !== "restarting" && state.restarts === 0) return undefined;
  const how = stopped ? `exited with code ${state.exitCode}` : `keeps crashing (exit code ${state.exitCode}, restarted ${state.restarts} times)`;
  const last = lastLine(logTail);
  return {
    summary: `the new container ${how}`,
    fix: last ? `it stops while booting; its log ends with: ${last}` : "it stops while booting and logged nothing; run its command by hand (`sextant app exec`)",
  };
}

function fromCheck({ checks, logTail }: Evidence, settings: Settings): UnhealthyCause | undefined {
  const check = checks.at(-1);
  if (check === undefined) return undefined;
  const checked = new URL(check.url);
  const get = `GET ${checked.pathname}`;
  const status = /^unexpected status \((\d+)\)$/.exec(check.error);
  if (status) return fromStatus(get, Number(status[1]));
  if (check.error === "request timed out") return timedOut(get, settings);

  // Other failures are Go's url.Error: `Get "URL": reason`, URL being where a redirect led.
  const wrapped = /^Get "([^"]*)": (.*)$/.exec(check.error);
  const [url, reason] = wrapped ? [wrapped[1] ?? "", wrapped[2] ?? ""] : [check.url, check.error];
  if (url !== check.url) {
    const https = url.startsWith("https:");
    return {
      // Without the host, which names the container: hosts that failed alike are reported together.
      summary: `${get} redirects to ${withoutHost(url)}, which failed`,
      fix: https ? FORCE_SSL_FIX : `kamal-proxy follows redirects; make ${checked.pathname} answer 200 itself`,
    };
  }
  if (/redirects$/.test(reason)) return { summary: `${get} redirects in a loop (${reason})`, fix: FORCE_SSL_FIX };
  if (reason.endsWith("connect: connection refused")) return refused(logTail, settings);
  if (/i\/o timeout|deadline exceeded/.test(reason)) return timedOut(get, settings);
  const lookup = /^dial tcp: lookup (\S+)/.exec(reason);
  if (lookup)
    return {
      summary: `kamal-proxy cannot reach the new container: ${reason}`,
      fix: `the container must be on the kamal network; remove any \`network\` option under ${settings.optionsPath}`,
    };
  return { summary: `${get} failed: ${reason}`, fix: "check that the app answers plain HTTP on proxy.app_port" };
}

function fromStatus(get: string, status: number): UnhealthyCause {
  if (status >= 300 && status < 400) return { summary: `${get} answered ${status} (a redirect)`, fix: FORCE_SSL_FIX };
  const path = get.slice("GET ".length);
  if (status === 404)
    return {
      summary: `${get} answered 404`,
      fix: `the app has no ${path} route: add one that answers 200 (Rails 7.1+ has /up), or set proxy.healthcheck.path to a path it answers`,
    };
  return {
    summary: `${get} answered ${status}`,
    fix: `the app fails its own health check; its log says why (the last lines show with -v)`,
  };
}

function timedOut(get: string, { healthcheckTimeout, deployTimeout }: Settings): UnhealthyCause {
  return {
    summary: `${get} did not answer within ${healthcheckTimeout}s`,
    fix: `the app boots or answers slowly: raise deploy_timeout (now ${deployTimeout}s) or proxy.healthcheck.timeout (now ${healthcheckTimeout}s)`,
  };
}

function refused(logTail: string, { appPort, deployTimeout }: Settings): UnhealthyCause {
  const said = listeningAddress(logTail);
  const where = said?.host === undefined ? `port ${said?.port}` : `${said.host}:${said.port}`;
  if (said !== undefined && said.port !== appPort)
    return {
      summary: `nothing listens on port ${appPort}: the app's log says it listens on ${where}`,
      fix: `set proxy.app_port: ${said.port}, or make the app listen on port ${appPort}`,
    };
  if (said !== undefined && isLoopback(said.host))
    return {
      summary: `the app listens on ${where}, which only the container itself can reach`,
      fix: "make it listen on 0.0.0.0 (e.g. `bin/rails server -b 0.0.0.0`, HOST=0.0.0.0)",
    };
  return {
    summary: `nothing listens on port ${appPort} in the new container (connection refused)`,
    fix: `make the app listen on 0.0.0.0:${appPort} or set proxy.app_port to its port; if it was still booting, raise deploy_timeout (now ${deployTimeout}s)`,
  };
}

const lastLine = (log: string): string | undefined => {
  const line = log.trimEnd().split("\n").at(-1)?.trim();
  return line ? (line.length > 200 ? `${line.slice(0, 199)}…` : line) : undefined;
};

const withoutHost = (url: string): string =>
  URL.canParse(url) ? `${new URL(url).protocol}//…${new URL(url).pathname}` : url;

const mebibytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;
