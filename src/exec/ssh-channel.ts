import type { Client, ExecOptions } from "ssh2";

export type ChannelResult = {
  readonly stdout: string;
  readonly stderr: string;
  /** null when the command did not report an exit status (killed, timed out, connection lost) */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
};

export type ChannelOptions = {
  readonly stdin?: string;
  /** ask for ssh-agent forwarding on this session (needs the connection's `agent`) */
  readonly agentForward?: boolean;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
};

/**
 * Runs one command in a new exec session (no PTY) on an open connection. stdin is written and then closed, so a
 * command never waits for input that will not come. A timeout or abort closes the channel and settles at once:
 * sshd ignores signal requests for root logins (it runs root sessions without privilege separation) and keeps a
 * session open until its command exits, so the command itself may run on until it ends or next writes output.
 */
export function execChannel(client: Client, command: string, opts: ChannelOptions = {}): Promise<ChannelResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, execOptions(opts.agentForward === true), (err, stream) => {
      if (err) return reject(err);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let settled = false;
      const finish = (how: { timedOut?: boolean; aborted?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8");
        resolve({ stdout: text(stdout), stderr: text(stderr), code, timedOut: how.timedOut ?? false, aborted: how.aborted ?? false });
      };
      const stop = (how: { timedOut?: boolean; aborted?: boolean }) => {
        stream.close();
        finish(how);
      };
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => stop({ timedOut: true }), opts.timeoutMs);
      const onAbort = () => stop({ aborted: true });
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      stream.on("data", (chunk: Buffer) => (stdout.push(chunk), opts.onStdout?.(chunk)));
      stream.stderr.on("data", (chunk: Buffer) => (stderr.push(chunk), opts.onStderr?.(chunk)));
      stream.on("exit", (exitCode: number | null) => (code = typeof exitCode === "number" ? exitCode : null));
      stream.on("close", () => finish({}));
      stream.end(opts.stdin ?? "");
      if (opts.signal?.aborted) onAbort();
    });
  });
}

/** ssh2 fails the whole session when the host refuses agent forwarding (sshd AllowAgentForwarding no). */
export const isAgentForwardingRefused = (err: unknown): boolean => err instanceof Error && /agent forwarding/i.test(err.message);

/** ssh2 reads `agentForward` from exec options (client.js), though its type definitions leave it out. */
const execOptions = (agentForward: boolean): ExecOptions => ({ agentForward }) as ExecOptions;
