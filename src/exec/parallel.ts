import { HostsFailedError, InterruptedError } from "../errors.ts";
import { Limit } from "./limit.ts";

export type OnHostsOptions = {
  /** hosts worked on at once; unlimited by default (the SSH layer caps handshakes itself) */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
};

/**
 * Runs `work` for every host in parallel and waits for all of them, as SSHKit's `on(hosts)` does: one host's
 * failure does not stop the others. Returns each host's result in the order given, or throws one HostsFailedError
 * listing every host that failed and why. Hosts not yet started when `signal` aborts are skipped, and the whole
 * run then ends with InterruptedError (exit 130) carrying the HostsFailedError as its cause.
 */
export async function onHosts<T>(
  hosts: readonly string[],
  work: (host: string) => Promise<T>,
  opts: OnHostsOptions = {},
): Promise<Map<string, T>> {
  const limit = new Limit(opts.concurrency ?? hosts.length);
  const results = new Map<string, T>();
  const failures = new Map<string, Error>();
  await Promise.all(
    hosts.map((host) =>
      limit.run(async () => {
        if (opts.signal?.aborted) {
          failures.set(host, new InterruptedError("interrupted before it started"));
          return;
        }
        try {
          results.set(host, await work(host));
        } catch (err) {
          failures.set(host, err instanceof Error ? err : new Error(String(err)));
        }
      }),
    ),
  );
  const error = failed(hosts, failures);
  if (error && opts.signal?.aborted) throw new InterruptedError("interrupted", { cause: error });
  if (error) throw error;
  return new Map(hosts.filter((h) => results.has(h)).map((h) => [h, results.get(h) as T]));
}

/** Failures in the order the hosts were given, so the message does not depend on timing. */
function failed(hosts: readonly string[], failures: Map<string, Error>): HostsFailedError | undefined {
  if (failures.size === 0) return undefined;
  return new HostsFailedError(new Map(hosts.flatMap((h) => (failures.has(h) ? [[h, failures.get(h) as Error]] : []))));
}
