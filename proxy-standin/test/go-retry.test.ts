// The retry rule of Go's HTTP transport (net/http transport.go persistConn.shouldRetryRequest, request.go
// Request.isReplayable), which decides whether kamal-proxy v0.9.2 resends a request or answers 502.
import { describe, expect, test } from "vitest";
import { goRetries, sendsBody, type FailedAttempt } from "../src/go-retry.ts";

const failed = (overrides: Partial<FailedAttempt>): FailedAttempt => ({
  reusedConnection: true, failedWriting: false, sawResponseBytes: false, method: "GET", hasBody: false, headerNames: [], ...overrides,
});

describe("goRetries", () => {
  test("retries a bodiless GET, HEAD, OPTIONS or TRACE whose pooled connection failed before any response byte", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "TRACE"]) expect(goRetries(failed({ method }))).toBe(true);
  });

  test("never retries on a fresh connection", () => {
    expect(goRetries(failed({ reusedConnection: false }))).toBe(false);
    expect(goRetries(failed({ reusedConnection: false, failedWriting: true }))).toBe(false);
  });

  test("does not resend a POST, PUT, PATCH or DELETE once it was written, with or without a body", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(goRetries(failed({ method }))).toBe(false);
      expect(goRetries(failed({ method, hasBody: true }))).toBe(false);
    }
  });

  test("treats a request carrying Idempotency-Key or X-Idempotency-Key as idempotent, if it has no body", () => {
    expect(goRetries(failed({ method: "POST", headerNames: ["idempotency-key"] }))).toBe(true);
    expect(goRetries(failed({ method: "POST", headerNames: ["x-idempotency-key"] }))).toBe(true);
    expect(goRetries(failed({ method: "POST", headerNames: ["idempotency-key"], hasBody: true }))).toBe(false);
  });

  test("does not retry a GET with a body, nor one that failed after the response began", () => {
    expect(goRetries(failed({ hasBody: true }))).toBe(false);
    expect(goRetries(failed({ sawResponseBytes: true }))).toBe(false);
  });

  test("retries any bodiless request whose write never left (nothingWrittenError), and no request with a body", () => {
    expect(goRetries(failed({ method: "POST", failedWriting: true }))).toBe(true);
    expect(goRetries(failed({ method: "POST", failedWriting: true, hasBody: true }))).toBe(false);
  });
});

test("sendsBody: httputil.ReverseProxy drops a Content-Length: 0 body; a chunked one always goes", () => {
  expect(sendsBody({})).toBe(false);
  expect(sendsBody({ "content-length": "0" })).toBe(false);
  expect(sendsBody({ "content-length": "12" })).toBe(true);
  expect(sendsBody({ "transfer-encoding": "chunked" })).toBe(true);
});
