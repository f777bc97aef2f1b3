// What happened to one unit of traffic (a request, or a websocket session), and how an answer is judged.

/** The kinds of traffic in the mix; each has its own row in the table. */
export type Kind = "keep-alive GET" | "HTTPS GET" | "upload 1 MB" | "slow 2 s" | "past drain" | "websocket";

/**
 * `answered`: the app answered (a websocket: every message echoed until the client closed it). The rest are
 * ended by kamal-proxy by design: `504` (cut at the end of a drain), `503` (maintenance page), `closed` (a
 * websocket the proxy closed when its target started draining). `failed` is anything else.
 */
export type Outcome = "answered" | "failed" | "504" | "503" | "closed";

export type TrafficRecord = {
  readonly kind: Kind;
  readonly host: string;
  /** ms since the epoch (performance.timeOrigin based), when the client started and finished the unit */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: Outcome;
  /** the app version that answered, when the app answered */
  readonly version?: string;
  readonly error?: string;
};

export const now = (): number => performance.timeOrigin + performance.now();

/** The `version:` line of the sample app's page. */
export const pageVersion = (page: string): string | undefined => /^version: (.*)$/m.exec(page)?.[1];

/** Judges an HTTP answer: 200 with a version page is answered; 503 and 504 are the proxy's own ends. */
export function judgeAnswer(status: number, body: string, check: (body: string) => string | undefined = () => undefined):
  Pick<TrafficRecord, "outcome" | "version" | "error"> {
  if (status === 503 || status === 504) return { outcome: status === 503 ? "503" : "504" };
  const version = pageVersion(body);
  if (status !== 200 || version === undefined) return { outcome: "failed", error: `HTTP ${status}: ${body.trim().slice(0, 200)}` };
  const problem = check(body);
  return problem === undefined ? { outcome: "answered", version } : { outcome: "failed", version, error: problem };
}
