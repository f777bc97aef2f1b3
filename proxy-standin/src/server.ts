// `kamal-proxy run`: restore the saved table, open the HTTP and HTTPS listeners and the control socket,
// and shut down cleanly on SIGTERM/SIGINT (the process is PID 1 in its container, so nobody else will).
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Server } from "node:net";
import type { SecureContext } from "node:tls";
import { serveControl } from "./control.ts";
import { requestHandler } from "./forward.ts";
import { MAX_REQUEST_HEADER_BYTES, refuseMalformedRequest } from "./header-limits.ts";
import { jsonLogger } from "./log.ts";
import { certificatePath, socketPath, statePath } from "./paths.ts";
import { certificateFiles } from "./certificate.ts";
import { Router } from "./router.ts";
import { upgradeHandler } from "./upgrade.ts";

export type RunOptions = { debug: boolean; httpPort: number; httpsPort: number; env: NodeJS.ProcessEnv };

const SHUTDOWN_GRACE_MS = 10_000;

// kamal-proxy's listeners have no read, write or idle timeouts; Node's defaults would cut long requests. Nor
// do they lower Go's header limit.
const LISTENER = { requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 0, maxHeaderSize: MAX_REQUEST_HEADER_BYTES } as const;

export async function runServer(options: RunOptions): Promise<void> {
  const log = jsonLogger(options.debug);
  // One bad exchange must not take every service on the host down with it; the error stays visible in the logs.
  process.on("uncaughtException", (err) => log("ERROR", "Unexpected error", { error: err.stack ?? err.message }));
  // Node asks SNICallback only when the client names a server; the default context answers the others.
  let defaultCertificate: SecureContext | undefined;
  const router: Router = new Router(statePath(options.env), certificatePath(options.env), log, () => {
    const service = router.defaultCertificate();
    if (service?.installed.certificate === defaultCertificate) return;
    defaultCertificate = service?.installed.certificate;
    try {
      secure.setSecureContext(service === undefined ? {} : certificateFiles(service.options));
    } catch {
      // the files went away after the deploy loaded them: handshakes without a server name keep the last ones
    }
  });

  let httpPort = options.httpPort;
  let httpsPort = options.httpsPort;
  const plain = http.createServer(LISTENER, requestHandler(router, log, "http", () => httpPort));
  plain.on("upgrade", upgradeHandler(router, log, "http"));
  plain.on("clientError", refuseMalformedRequest);
  const secure = https.createServer(
    {
      ...LISTENER,
      SNICallback: (name, done) => {
        const certificate = router.certificateFor(name)?.installed.certificate;
        if (certificate === undefined) done(new Error("unknown server name"));
        else done(null, certificate);
      },
    },
    requestHandler(router, log, "https", () => httpsPort),
  );
  secure.on("upgrade", upgradeHandler(router, log, "https"));
  secure.on("clientError", refuseMalformedRequest);

  router.restore();

  httpPort = await listen(plain, options.httpPort);
  httpsPort = await listen(secure, options.httpsPort);
  const control = await serveControl(router, socketPath(options.env));
  log("INFO", "Server started", { http: httpPort, https: httpsPort });

  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  control.close();
  await Promise.race([
    Promise.all([close(plain), close(secure)]),
    new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS)),
  ]);
  log("INFO", "Server stopped");
}

/** Listens on all interfaces; with port 0 the OS picks one, and the real port is returned (and logged). */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const reason = err.code === "EADDRINUSE" ? "address already in use" : err.code === "EACCES" ? "permission denied" : err.message;
      reject(new Error(`listen tcp :${port}: bind: ${reason}`));
    });
    server.listen(port, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
