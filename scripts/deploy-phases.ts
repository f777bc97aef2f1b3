// The per-phase breakdown of a deploy for `npm run bench`, read from its `--json -v` events. A flow reports an
// SSH exec session's commands together when the session starts, so a host's run of `command` events (a few ms
// apart at most, nothing else in between) is one session; it lasts until the host's next session starts or the
// deploy ends. Each session is named after what it does, from its commands.
import { commandEvent } from "../src/output/events.ts";

/** Phase names, matched against a session's commands in this order. */
const PHASES: readonly [string, RegExp][] = [
  ["registry login + pull image", /^docker login [\s\S]*^docker pull /m],
  ["registry login + mirror probe", /^docker login [\s\S]*^docker info --format /m],
  ["registry login", /^docker login /m],
  ["pull image", /^docker pull /m],
  ["registry mirror probe", /^docker info --format /m],
  ["lock", /^mkdir \.kamal\/lock-/m],
  ["unlock", /^rm \.kamal\/lock-/m],
  ["proxy + host state", /^docker network create /m],
  ["env file + run new container", /^upload [\s\S]*^docker run /m],
  ["env file upload", /^upload /m],
  ["run new container", /^docker run /m],
  ["proxy switch", /^docker exec kamal-proxy kamal-proxy deploy /m],
  ["stop old, tag, prune", /^docker tag /m],
  ["stop stale containers", /^docker container ls .*\| xargs docker stop/m],
  ["make .kamal (lock)", /^mkdir -p \.kamal$/],
];

/** How far apart two commands of one session may be reported (the reporter writes them in one synchronous loop). */
const SAME_SESSION_MS = 5;

export type PhaseTimes = Map<string, number[]>;

/** The phase a session's commands belong to. */
export function phaseOf(commands: readonly string[]): string {
  const text = commands.join("\n");
  return PHASES.find(([, pattern]) => pattern.test(text))?.[0] ?? "other";
}

type Session = { readonly at: number; readonly phase: string };

/** Each host's sessions in order: when each started and the phase it belongs to. */
export function hostSessions(ndjson: string): { sessions: Map<string, Session[]>; end: number } {
  const lines = ndjson.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type?: string; ts?: string });
  const end = Math.max(...lines.map((e) => Date.parse(e.ts ?? "")).filter(Number.isFinite));
  const sessions = new Map<string, { at: number; commands: string[] }[]>();
  // the host's latest event, when it was a command: the time it was reported
  const lastCommandAt = new Map<string, number>();
  for (const raw of lines) {
    const host = (raw as { host?: unknown }).host;
    if (typeof host !== "string") continue;
    if (raw.type !== "command") {
      lastCommandAt.delete(host);
      continue;
    }
    const { line, ts } = commandEvent.parse(raw);
    const at = Date.parse(ts);
    const hostSessions = sessions.get(host) ?? [];
    const previous = lastCommandAt.get(host);
    const current = hostSessions.at(-1);
    if (current && previous !== undefined && at - previous <= SAME_SESSION_MS) current.commands.push(line);
    else hostSessions.push({ at, commands: [line] });
    sessions.set(host, hostSessions);
    lastCommandAt.set(host, at);
  }
  const named = new Map([...sessions].map(([host, list]) => [host, list.map(({ at, commands }) => ({ at, phase: phaseOf(commands) }))]));
  return { sessions: named, end };
}

/** Seconds each host spent in each phase: phase → one duration per host (and per session, if repeated). */
export function deployPhases(ndjson: string): PhaseTimes {
  const { sessions, end } = hostSessions(ndjson);
  const phases: PhaseTimes = new Map();
  for (const list of sessions.values()) {
    for (const [i, session] of list.entries()) {
      const seconds = ((list[i + 1]?.at ?? end) - session.at) / 1000;
      phases.set(session.phase, [...(phases.get(session.phase) ?? []), seconds]);
    }
  }
  return phases;
}

/** The phase of the turns a host waited for before its first command: connecting. */
export const HANDSHAKE = "SSH handshake";

/**
 * Round trips each host waited for in each phase (phase → one count per host), from the times the latency relay
 * saw the client start a turn (lab/latency.ts). A turn belongs to the session that had started by then; the
 * reporter writes a session's commands just before the session opens, on the same clock, within a millisecond.
 * The connection opens on a host's first command, so its first `handshake` turns are the SSH handshake's.
 */
export function phaseTurns(ndjson: string, turns: (host: string) => readonly number[], handshake: number): Map<string, number[]> {
  const { sessions } = hostSessions(ndjson);
  const perHost = [...sessions].map(([host, list]) => {
    const counts = new Map<string, number>();
    for (const [i, at] of turns(host).entries()) {
      const phase = i < handshake ? HANDSHAKE : (list.filter((s) => s.at <= at + 1).at(-1)?.phase ?? HANDSHAKE);
      counts.set(phase, (counts.get(phase) ?? 0) + 1);
    }
    return counts;
  });
  const phases = new Map<string, number[]>();
  for (const phase of new Set(perHost.flatMap((c) => [...c.keys()])))
    phases.set(phase, perHost.map((c) => c.get(phase) ?? 0));
  return phases;
}
