// Options of the kamal-proxy container, shared by `proxy.run` and the boot-config files
// (kamal lib/kamal/configuration/proxy/run.rb, proxy/boot.rb).
import { argumentize, isPresent, optionize } from "./args.ts";

/** IPv6 bind addresses go in brackets in a publish spec. */
const bindAddress = (ip: string): string => (ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip);

/** `--publish [ip:]http:80 --publish [ip:]https:443` per bind address. */
export function publishArgs(httpPort: number, httpsPort: number, bindIps: readonly string[] = []): string[] {
  const ips = bindIps.length === 0 ? [undefined] : bindIps.map(bindAddress);
  return ips.flatMap((ip) => argumentize("--publish", [
    [ip, httpPort, 80].filter((p) => p !== undefined).join(":"),
    [ip, httpsPort, 443].filter((p) => p !== undefined).join(":"),
  ]));
}

export const logMaxSizeArgs = (maxSize: string): string[] => (isPresent(maxSize) ? argumentize("--log-opt", `max-size=${maxSize}`) : []);

/** `kamal-proxy run [--debug] [--metrics-port "N"]` as one word list. */
export const runCommand = (debug: boolean, metricsPort: number | undefined): string[] => [
  "kamal-proxy", "run",
  ...optionize({ ...(debug ? { debug: true } : {}), ...(metricsPort === undefined ? {} : { "metrics-port": metricsPort }) }),
];
