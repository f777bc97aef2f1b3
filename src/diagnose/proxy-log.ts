// kamal-proxy's log of failed health checks (internal/server/health_check.go): one slog JSON line per failed
// check, `{"time":…,"level":"INFO","msg":"Healthcheck failed","url":"http://ID:PORT/up","error":"…"}`.
import * as z from "zod";

export type FailedCheck = { readonly url: string; readonly error: string };

const failedCheck = z.object({ msg: z.literal("Healthcheck failed"), url: z.string(), error: z.string() });

/** The failed checks of the container `id`, oldest first; lines of other targets or not JSON are skipped. */
export function failedChecksOf(log: string, id: string): FailedCheck[] {
  const checks: FailedCheck[] = [];
  for (const line of log.split("\n")) {
    const parsed = failedCheck.safeParse(parseJson(line.trim()));
    if (parsed.success && hostnameOf(parsed.data.url) === id) checks.push({ url: parsed.data.url, error: parsed.data.error });
  }
  return checks;
}

function parseJson(text: string): unknown {
  if (!text.startsWith("{")) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const hostnameOf = (url: string): string | undefined => (URL.canParse(url) ? new URL(url).hostname : undefined);
