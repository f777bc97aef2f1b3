import type { Client } from "ssh2";
import { lineSplitter } from "./lines.ts";

/** What Ctrl-C types into a terminal: the remote PTY turns it into SIGINT for the command, as under `ssh -t`. */
const CTRL_C = "\x03";

/**
 * Runs a command that runs until it is stopped (`docker logs --follow`) in a new session with a PTY, as Kamal's
 * `ssh -t` does, and hands each whole line of its output to `onLine` as it arrives; a chunk that ends mid-line is
 * held until its newline. Resolves to the command's exit code, 255 when it gives none (as ssh reports it).
 *
 * Aborting types Ctrl-C into the PTY and closes the session, and no line is handed over after that. The PTY is
 * what ends the command on the host: sshd ignores signal requests for root logins and keeps a plain session's
 * command running until it next writes (ssh-channel.ts), which for a quiet container's log may be never; closing
 * a session releases its PTY, and the kernel hangs up whatever still runs on it.
 */
export function followChannel(client: Client, command: string, onLine: (line: string) => void, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    // No echo (nothing is typed but Ctrl-C) and no \n -> \r\n translation: the lines arrive as the command wrote them.
    const pty = { term: "dumb", rows: 24, cols: 200, height: 0, width: 0, modes: { ECHO: 0 as const, ONLCR: 0 as const } };
    client.exec(command, { pty }, (err, stream) => {
      if (err) return reject(err);
      let stopped = false;
      let code = 255;
      const deliver = (line: string) => {
        if (!stopped) onLine(line);
      };
      // With a PTY sshd sends everything as stdout; stderr gets its own splitter all the same, so lines never mix.
      const [out, errors] = [lineSplitter(deliver), lineSplitter(deliver)];
      const abort = () => {
        stopped = true;
        stream.write(CTRL_C);
        stream.close();
      };
      signal?.addEventListener("abort", abort, { once: true });
      stream.on("data", (chunk: Buffer) => out.push(chunk));
      stream.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
      stream.on("exit", (exitCode: number | null) => (code = typeof exitCode === "number" ? exitCode : 255));
      stream.on("close", () => {
        signal?.removeEventListener("abort", abort);
        out.end();
        errors.end();
        resolve(code);
      });
      if (signal?.aborted) abort();
    });
  });
}
