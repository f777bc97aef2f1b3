// When Go's HTTP transport, which kamal-proxy v0.9.2 forwards through, sends a failed request again on another
// connection (net/http transport.go: persistConn.shouldRetryRequest and request.go Request.isReplayable). Only
// a pooled connection that failed before anything came back is retried, and then only a request that is safe to
// send twice: a write that never left counts if there is no body; otherwise the request must be bodiless and
// idempotent. Anything else reaches kamal-proxy's error handler, which answers 502.

/** What the proxy knows about one failed attempt. */
export type FailedAttempt = {
  /** the connection came from the keep-alive pool (Go: persistConn.isReused) */
  reusedConnection: boolean;
  /** writing the request failed, so none of it went out (Go: nothingWrittenError) */
  failedWriting: boolean;
  /** some of a response had arrived before the failure (Go retries only when peeking its first byte failed) */
  sawResponseBytes: boolean;
  method: string;
  /** the outgoing request carries a body; httputil.ReverseProxy sends none for Content-Length: 0 */
  hasBody: boolean;
  /** header names, lower-cased */
  headerNames: readonly string[];
};

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export function goRetries(attempt: FailedAttempt): boolean {
  if (!attempt.reusedConnection) return false;
  if (attempt.failedWriting) return !attempt.hasBody;
  return isReplayable(attempt) && !attempt.sawResponseBytes;
}

/** Bodiless and idempotent by method, or by an Idempotency-Key / X-Idempotency-Key header (Go issue 19943). */
function isReplayable({ hasBody, method, headerNames }: FailedAttempt): boolean {
  if (hasBody) return false;
  return IDEMPOTENT_METHODS.has(method) || headerNames.includes("idempotency-key") || headerNames.includes("x-idempotency-key");
}

/** Whether a request body goes upstream: a chunked body always does, a Content-Length one unless it is 0. */
export function sendsBody(headers: { "content-length"?: string; "transfer-encoding"?: string }): boolean {
  if (headers["transfer-encoding"] !== undefined) return true;
  return headers["content-length"] !== undefined && Number(headers["content-length"]) !== 0;
}
