import { StringDecoder } from "node:string_decoder";
import type { Client, ClientChannel, ExecOptions } from "ssh2";
import type { ChannelResult } from "./ssh-channel.ts";

/**
 * One long-lived `/bin/sh -s` session per connection, fed one script at a time on its stdin. A new exec session
 * costs three round trips before its command's answer (open the channel, start the command, then the answer);
 * a script written to a shell that is already running costs one. Each script is a scriptText (remote-script.ts)
 * run in a subshell, so its `exit` on a failed step ends only that script, followed by an end marker with the
 * subshell's exit code on both streams: `<nonce> <steps> <code>`, the same form as the step markers.
 */
export class RemoteShell {
  readonly #stream: ClientChannel;
  #job: Job | undefined;
  #closed = false;

  private constructor(stream: ClientChannel) {
    this.#stream = stream;
    stream.on("data", (chunk: Buffer) => this.#job?.take("stdout", chunk));
    stream.stderr.on("data", (chunk: Buffer) => this.#job?.take("stderr", chunk));
    stream.on("close", () => {
      this.#closed = true;
      this.#job?.finish({ code: null });
    });
  }

  static open(client: Client, agentForward: boolean): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      // ssh2 reads `agentForward` from exec options (client.js), though its type definitions leave it out.
      client.exec(SHELL, { agentForward } as ExecOptions, (err, stream) => (err ? reject(err) : resolve(new RemoteShell(stream))));
    });
  }

  /** Free for a script: open, and not running one. */
  get idle(): boolean {
    return !this.#closed && this.#job === undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `script` (a scriptText of `steps` steps, marked with `nonce`). Its output up to the end marker comes
   * back as a channel result; an abort closes the shell (the next script opens another).
   */
  run(script: string, nonce: string, steps: number, opts: ShellRunOptions): Promise<ChannelResult> {
    if (!this.idle) throw new Error("the shell is busy or closed");
    return new Promise((resolve) => {
      // the script may run on; closing the session is all a client can do (ssh-channel.ts says why)
      const stop = (how: { aborted?: boolean; timedOut?: boolean }) => {
        this.close();
        job.finish({ code: null, ...how });
      };
      const onAbort = () => stop({ aborted: true });
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => stop({ timedOut: true }), opts.timeoutMs);
      const job = new Job(new RegExp(`\\n${nonce} ${steps} (\\d+)\\n`), opts, (result) => {
        this.#job = undefined;
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        resolve(result);
      });
      this.#job = job;
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      const end = `printf '\\n%s %d %d\\n' ${nonce} ${steps} $?`;
      this.#stream.write(`(\n${script}) </dev/null\n${end}; ${end} >&2\n`);
      if (opts.signal?.aborted) onAbort();
    });
  }

  close(): void {
    this.#closed = true;
    this.#stream.close();
  }
}

export type ShellRunOptions = {
  readonly signal?: AbortSignal;
  /** ends the script (and closes the shell) when it runs longer */
  readonly timeoutMs?: number;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
};

const SHELL = "/bin/sh -s";

/** One script's output as it arrives, until the end marker has come on both streams. */
class Job {
  readonly #end: RegExp;
  readonly #opts: ShellRunOptions;
  readonly #done: (result: ChannelResult) => void;
  readonly #text = { stdout: "", stderr: "" };
  readonly #decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  readonly #ended: { stdout?: number; stderr?: number } = {};
  #settled = false;

  constructor(end: RegExp, opts: ShellRunOptions, done: (result: ChannelResult) => void) {
    this.#end = end;
    this.#opts = opts;
    this.#done = done;
  }

  take(stream: "stdout" | "stderr", chunk: Buffer): void {
    if (this.#settled) return;
    (stream === "stdout" ? this.#opts.onStdout : this.#opts.onStderr)?.(chunk);
    this.#text[stream] += this.#decoders[stream].write(chunk);
    const match = this.#end.exec(this.#text[stream]);
    if (!match) return;
    this.#text[stream] = this.#text[stream].slice(0, match.index);
    this.#ended[stream] = Number(match[1]);
    if (this.#ended.stdout !== undefined && this.#ended.stderr !== undefined) this.finish({ code: this.#ended.stdout });
  }

  finish({ code, aborted = false, timedOut = false }: { code: number | null; aborted?: boolean; timedOut?: boolean }): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#done({ stdout: this.#text.stdout, stderr: this.#text.stderr, code, timedOut, aborted });
  }
}
