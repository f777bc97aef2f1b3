// Where an app says it listens, from its boot log: Puma's `Listening on http://0.0.0.0:3000`, Node's
// `Server running at http://127.0.0.1:8080/`, gunicorn's `Listening at: http://0.0.0.0:8000`, `listening on port 80`,
// `listening on 8080`.

export type ListeningAddress = { readonly host: string | undefined; readonly port: number };

const SAID = /\b(?:listen(?:ing)?|running|started|serving|bound)\b/i;
const ADDRESS = /(\[[0-9a-f:]*\]|\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\*):(\d{2,5})\b/i;
/** `:8080` standing alone, not the minutes of a time */
const BARE_PORT = /(?:^|[\s(=]):(\d{2,5})\b/;
/** `port 4000`, or `on 8080` not followed by more of a date, time or address */
const PORT = /\b(?:port|on)\s+(\d{2,5})\b(?![-:./])/i;

/** The address in the last log line that announces one, or undefined. */
export function listeningAddress(log: string): ListeningAddress | undefined {
  for (const line of log.split("\n").reverse()) {
    const said = SAID.exec(line);
    if (!said) continue;
    const rest = line.slice(said.index);
    const address = ADDRESS.exec(rest);
    if (address) return { host: address[1], port: Number(address[2]) };
    const port = BARE_PORT.exec(rest) ?? PORT.exec(rest);
    if (port) return { host: undefined, port: Number(port[1]) };
  }
  return undefined;
}

/** Whether only the container itself can reach `host` (kamal-proxy connects from another container). */
export const isLoopback = (host: string | undefined): boolean =>
  host !== undefined && (host === "localhost" || host.startsWith("127.") || host === "[::1]");
