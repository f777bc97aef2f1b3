import type { Secret } from "../config/secret.ts";
import type { Shell } from "../commands/shell.ts";

/** The host name executors use for commands run on this machine; reporters receive it too. */
export { LOCAL } from "../output/reporter.ts";

export type RunOptions = {
  /** Fed to the command's stdin; how secrets reach a command without showing in `ps`. */
  readonly stdin?: string | Secret;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Stream output lines to the reporter as they arrive instead of only returning them. */
  readonly stream?: boolean;
  /** Working directory for local commands (the build runs in its clone); ignored for remote hosts. */
  readonly cwd?: string;
  /** Environment for local commands (hooks, builds); ignored for remote hosts. */
  readonly env?: Readonly<Record<string, string | Secret>>;
};

export type RunResult = { readonly code: number; readonly stdout: string; readonly stderr: string };

/**
 * One command of a script; `ignoreFailure` mirrors Kamal's "failure ignored" commands. `stdin` feeds this command
 * alone; ending in a newline, a here-document carries it inside the script (any other body costs a session of its own).
 */
export type CommandStep = {
  readonly cmd: Shell;
  readonly ignoreFailure?: boolean;
  readonly stdin?: string | Secret;
  readonly upload?: never;
};

/** A file written as one step of a script, as upload() writes it; a failed write stops the script. */
export type UploadStep = { readonly upload: Upload; readonly cmd?: never; readonly ignoreFailure?: never; readonly stdin?: never };

export type ScriptStep = CommandStep | UploadStep;

/** What reporters and errors call an upload. */
export const uploadLine = (file: Upload): string => `upload ${file.mode.toString(8).padStart(4, "0")} ${file.path}`;

/** A port forward that lasts until it is closed. */
export type RemoteForward = { close(): Promise<void> };

export type Upload = { readonly path: string; readonly body: string | Secret; readonly mode: number };

/**
 * The only way flows touch hosts. Implementations: ssh.ts (ssh2, one connection per host), local.ts (execa)
 * and recorder.ts (records what would run: `--dry-run` and flow tests).
 */
export interface Executor {
  /** Runs a command; throws RemoteCommandError when it exits non-zero. */
  run(host: string, cmd: Shell, opts?: RunOptions): Promise<RunResult>;
  /** Runs a command and returns its stdout with surrounding whitespace trimmed; throws like run(). */
  capture(host: string, cmd: Shell, opts?: RunOptions): Promise<string>;
  /** Runs a command whose failure is expected or ignored; never throws for a non-zero exit. */
  attempt(host: string, cmd: Shell, opts?: RunOptions): Promise<RunResult>;
  /**
   * Runs steps one after another in ONE round trip where the transport allows (one SSH exec session), returning
   * each step's result in order. A failing step whose `ignoreFailure` is not set stops the script and is thrown as
   * RemoteCommandError naming that step's command; steps after it do not run.
   */
  script(host: string, steps: readonly ScriptStep[], opts?: RunOptions): Promise<RunResult[]>;
  /** Writes a file on the host (mode applied), creating nothing else. */
  upload(host: string, file: Upload, opts?: RunOptions): Promise<void>;
  /**
   * Runs a command with a PTY wired to this terminal (raw mode, resizes), returning its exit code. Only executors
   * that talk to real hosts have it; `app exec -i`, `server exec -i` and `logs -f` use it.
   */
  interactive?(host: string, cmd: Shell, opts?: RunOptions): Promise<number>;
  /**
   * Runs a command that runs until it is stopped (`docker logs --follow`) on a PTY, as `ssh -t` does, handing each
   * whole line of its output to `onLine` as it arrives; resolves to its exit code. Aborting `opts.signal` ends the
   * command on the host too. Only executors that talk to hosts have it; `logs -f` uses it.
   */
  follow?(host: string, cmd: Shell, onLine: (line: string) => void, opts?: RunOptions): Promise<number>;
  /**
   * Makes 127.0.0.1:`port` on the host reach 127.0.0.1:`port` here (`ssh -R`), over the host's connection, until
   * the returned forward is closed; how hosts pull from a local registry. Only executors with real hosts have it.
   */
  forwardRemotePort?(host: string, port: number, opts?: RunOptions): Promise<RemoteForward>;
  /**
   * Starts opening each host's connection (and its shell session) without running anything there, so the
   * handshakes overlap work on this machine such as a build. Returns at once; a failure is left for the host's first
   * command to meet again and report. Only executors with real hosts have it.
   */
  connect?(hosts: readonly string[], signal?: AbortSignal): void;
  /** Closes every connection. */
  close(): Promise<void>;
}
