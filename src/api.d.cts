// The types of the Node API (src/api.ts), shipped as dist/api.d.cts. Written out by hand because the real types
// are inferred from zod schemas, and a generated declaration would make every user install zod's types; the
// compiler keeps the two identical (test/api.test.ts fails `tsc --noEmit` when they differ). See docs/api.md.

type Env = Readonly<Record<string, string | undefined>>;

/** One problem found in a config or secrets file: where it is, what is wrong, and how to fix it. */
export type Issue = {
  readonly file: string;
  /** Kamal-style key path, e.g. `servers/web/hosts/0`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
  readonly line?: number;
  readonly column?: number;
};

/** The events of `--json` (docs/json-output.md), as objects. */
export type Event =
  | { v: 1; ts: string; type: "step.start"; title: string }
  | { v: 1; ts: string; type: "command"; host: string; line: string }
  | { v: 1; ts: string; type: "output"; host: string; text: string }
  | { v: 1; ts: string; type: "info"; message: string; host?: string }
  | { v: 1; ts: string; type: "warn"; message: string; host?: string }
  | { v: 1; ts: string; type: "result"; text: string; data?: unknown }
  | { v: 1; ts: string; type: "planned"; host: string; line: string }
  | { v: 1; ts: string; type: "log"; host: string; name?: string; line: string }
  | {
      v: 1;
      ts: string;
      type: "error";
      kind: string;
      message: string;
      hint?: string;
      exitCode: number;
      host?: string;
      issues?: { file: string; path: string; message: string; fix?: string; line?: number; column?: number }[];
    }
  | {
      v: 1;
      ts: string;
      type: "deploy.host";
      host: string;
      role: string;
      oldVersion: string | null;
      newVersion: string;
      result: "ok" | "failed" | "skipped";
      seconds: number;
      error?: string;
    }
  | {
      v: 1;
      ts: string;
      type: "host.phase";
      host: string;
      phase: "build" | "pull" | "pulled" | "boot" | "health" | "stop" | "done" | "failed";
    }
  | {
      v: 1;
      ts: string;
      type: "run.end";
      exitCode: number;
      seconds: number;
      hosts: {
        host: string;
        role: string;
        oldVersion: string | null;
        newVersion: string;
        result: "ok" | "failed" | "skipped";
        seconds: number;
        error?: string;
      }[];
    };

/** The JSON Schema of config/deploy.yml (what `sextant config schema` prints), also exported as `sextant-deploy/deploy.schema.json`. */
export declare const schemaPath: string;

export type LoadConfigOptions = {
  /** the app's directory; default process.cwd() */
  readonly cwd?: string;
  /** `-c`: default `config/deploy.yml`, relative to cwd */
  readonly configFile?: string;
  /** `-d`: merges `config/deploy.<destination>.yml` over the main file */
  readonly destination?: string;
  /** `--version`: the app version; default $VERSION, else the git commit of cwd */
  readonly version?: string;
  /** the environment ERB tags see; default process.env */
  readonly env?: Env;
};

export type LoadConfigResult =
  | { readonly ok: true; readonly config: Record<string, unknown>; readonly warnings: readonly string[] }
  /** `warnings`: what loading noticed before it failed (an ERB command that exited non-zero), often the issue's cause */
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly warnings: readonly string[] };

/**
 * Loads and validates the config as `sextant config` does: `config` is the data `sextant config --json` prints.
 * A config the user must fix comes back as `issues`, all of them, in file order; only a bug in sextant throws.
 */
export declare function loadConfig(options?: LoadConfigOptions): Promise<LoadConfigResult>;

export type RunOptions = {
  /** the app's directory; default process.cwd() */
  readonly cwd?: string;
  /** the environment the run sees (secrets, VERSION, SSH_AUTH_SOCK); default process.env */
  readonly env?: Env;
  /** aborting it interrupts the run as Ctrl-C does: the step in progress stops, the lock is released, exit 130 */
  readonly signal?: AbortSignal;
};

export type RunResult = {
  /** as the executable would exit (docs/exit-codes.md) */
  readonly exitCode: number;
  /** what `--json` would print, as objects (docs/json-output.md) */
  readonly events: readonly Event[];
};

/**
 * Runs one command line, e.g. `["deploy", "--dry-run", "-d", "staging"]`, as the `sextant` executable does, with
 * its output collected as events instead of written to the terminal. Failures are in `exitCode` and an `error`
 * event; only a bug in sextant throws.
 */
export declare function run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
