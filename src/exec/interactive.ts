import type { Readable, Writable } from "node:stream";
import type { Client } from "ssh2";
import { wire, type Shell } from "../commands/shell.ts";

/** The local side of an interactive session; process.stdin/stdout/stderr by default. */
export type Terminal = {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout: Writable & { rows?: number; columns?: number };
  readonly stderr: Writable;
  /** TERM for the remote PTY */
  readonly term?: string;
};

const processTerminal = (): Terminal => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, term: process.env.TERM });

/**
 * Runs a command on a PTY over an open connection with this terminal attached: raw mode while it runs (so Ctrl-C
 * and friends reach the remote program), window size kept in step on SIGWINCH, and the remote exit code returned
 * (255 when the session ends without one, as ssh does).
 */
export function interactive(client: Client, cmd: Shell, opts: { terminal?: Terminal; signal?: AbortSignal } = {}): Promise<number> {
  const terminal = opts.terminal ?? processTerminal();
  const { stdin, stdout, stderr } = terminal;
  const size = () => ({ rows: stdout.rows ?? 24, cols: stdout.columns ?? 80 });
  return new Promise((resolve, reject) => {
    client.exec(wire(cmd, true), { pty: { term: terminal.term ?? "xterm-256color", ...size(), height: 0, width: 0 } }, (err, stream) => {
      if (err) return reject(err);
      let code = 255;
      const resize = () => stream.setWindow(size().rows, size().cols, 0, 0);
      const raw = stdin.isTTY === true && typeof stdin.setRawMode === "function";
      if (raw) stdin.setRawMode?.(true);
      process.on("SIGWINCH", resize);
      stdin.pipe(stream);
      stdin.resume();
      stream.pipe(stdout, { end: false });
      stream.stderr.pipe(stderr, { end: false });
      stream.on("exit", (exitCode: number | null) => (code = typeof exitCode === "number" ? exitCode : 255));
      const abort = () => stream.close();
      opts.signal?.addEventListener("abort", abort, { once: true });
      stream.on("close", () => {
        opts.signal?.removeEventListener("abort", abort);
        process.off("SIGWINCH", resize);
        stdin.unpipe(stream);
        if (raw) stdin.setRawMode?.(false);
        stdin.pause();
        resolve(code);
      });
    });
  });
}
