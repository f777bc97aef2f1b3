// The normalised configuration that builders and flows use. It is produced only by normalise.ts from the
// validated YAML (whose types mirror the YAML keys); names here are camelCase.
//
// Shared contract: config (normalise.ts), builders (src/commands) and flows all depend on this file.
// Add fields freely; rename or remove one only together with every user.
import type { RubyScalar } from "../ruby-scalar.ts";
import type { Secret } from "./secret.ts";

/**
 * A clear env value as written: strings, numbers, booleans, Floats, big Integers and Symbols pass Kamal's
 * "string" check and reach the host as Ruby's `to_s` (String(value)); null = bare.
 */
export type ClearValue = string | number | boolean | RubyScalar | null;

/** Env as written for one scope (root, role, tag, accessory); `secrets` keep Kamal's `NAME` or `NAME:SECRET`. */
export type EnvSpec = {
  readonly clear: Readonly<Record<string, ClearValue>>;
  readonly secrets: readonly string[];
};

/** The env a container gets: clear values for `--env`, secret values for the env file. */
export type ResolvedEnv = {
  readonly clear: Readonly<Record<string, ClearValue>>;
  /** env var name -> secret value, in Kamal's order */
  readonly secrets: ReadonlyArray<readonly [name: string, value: Secret]>;
};

export type Logging = {
  readonly driver: string | undefined;
  readonly options: Readonly<Record<string, ClearValue>>;
};

/** docker run options as written (`options:`), `restart` included; builders optionize them. */
export type DockerOptions = Readonly<Record<string, unknown>>;

export type ProxyHealthcheck = { readonly path?: string; readonly interval?: number; readonly timeout?: number };
export type ProxyBuffering = {
  readonly requests?: boolean;
  readonly responses?: boolean;
  readonly maxRequestBody?: number;
  readonly maxResponseBody?: number;
  readonly memory?: number;
};

/** How the kamal-proxy container itself runs on a host (`proxy.run`). Absent = legacy boot-config-files mode. */
export type ProxyRun = {
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly publish: boolean;
  readonly bindIps: readonly string[];
  readonly logMaxSize: string;
  readonly metricsPort: number | undefined;
  readonly debug: boolean;
  readonly registry: string | undefined;
  readonly repository: string;
  readonly version: string;
  readonly options: DockerOptions;
};

/** Effective proxy settings of a role or accessory that runs behind kamal-proxy. */
export type Proxy = {
  readonly hosts: readonly string[];
  readonly appPort: number;
  readonly ssl: boolean;
  /** Secret names of a custom certificate (`ssl: {certificate_pem, private_key_pem}`). */
  readonly sslCertificatePem: string | undefined;
  readonly sslPrivateKeyPem: string | undefined;
  readonly sslRedirect: boolean | undefined;
  readonly forwardHeaders: boolean | undefined;
  readonly responseTimeout: number | undefined;
  readonly pathPrefixes: readonly string[];
  readonly stripPathPrefix: boolean | undefined;
  readonly healthcheck: ProxyHealthcheck;
  readonly buffering: ProxyBuffering;
  readonly logRequestHeaders: readonly string[] | undefined;
  readonly logResponseHeaders: readonly string[] | undefined;
  readonly run: ProxyRun | undefined;
};

export type Role = {
  readonly name: string;
  readonly hosts: readonly string[];
  /** host -> its tags, in the order written. */
  readonly tags: Readonly<Record<string, readonly string[]>>;
  readonly cmd: string | undefined;
  readonly options: DockerOptions;
  /** root labels with role labels merged over them */
  readonly labels: Readonly<Record<string, string>>;
  /** root env with role env merged over it (tags are applied per host by envFor) */
  readonly env: EnvSpec;
  /** root logging with role logging deep-merged over it */
  readonly logging: Logging;
  /** undefined when the role does not run behind kamal-proxy */
  readonly proxy: Proxy | undefined;
  readonly stopTimeout: number | undefined;
  readonly assetPath: string | undefined;
  readonly primary: boolean;
  /** `SVC-ROLE[-DEST]`: the container name prefix and the kamal-proxy service name */
  readonly containerPrefix: string;
};

export type AccessoryFile = {
  readonly local: string;
  readonly remote: string;
  readonly mode: string | undefined;
  readonly owner: string | undefined;
  readonly options: string | undefined;
};

export type Accessory = {
  readonly name: string;
  /** container name and `service` label: `accessories.X.service` or `SVC-X` */
  readonly service: string;
  readonly image: string;
  readonly hosts: readonly string[];
  readonly cmd: string | undefined;
  readonly port: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly options: DockerOptions;
  readonly env: EnvSpec;
  readonly files: readonly AccessoryFile[];
  readonly directories: readonly AccessoryFile[];
  readonly volumes: readonly string[];
  readonly network: string;
  readonly registry: Registry | undefined;
  readonly proxy: Proxy | undefined;
};

export type Registry = {
  /** undefined = Docker Hub */
  readonly server: string | undefined;
  /** a literal, or a Secret when written as `[SECRET_NAME]` */
  readonly username: string | Secret | undefined;
  readonly password: string | Secret | undefined;
  /** `localhost:PORT`: no login; Kamal runs registry:3 locally and tunnels the port */
  readonly local: boolean;
  readonly localPort: number | undefined;
};

export type Builder = {
  readonly arch: readonly string[];
  readonly remote: string | undefined;
  readonly local: boolean;
  readonly driver: string;
  readonly cache: { readonly type: string; readonly options: string | undefined; readonly image: string | undefined } | undefined;
  readonly context: string | undefined;
  readonly dockerfile: string;
  readonly target: string | undefined;
  readonly args: Readonly<Record<string, ClearValue>>;
  readonly secrets: readonly string[];
  readonly ssh: string | undefined;
  readonly provenance: string | undefined;
  readonly sbom: boolean | undefined;
  readonly pack: { readonly builder: string; readonly buildpacks: readonly string[] } | undefined;
};

export type Ssh = {
  readonly user: string;
  readonly port: number;
  readonly proxy: string | undefined;
  readonly proxyCommand: string | undefined;
  readonly logLevel: string;
  readonly keysOnly: boolean | undefined;
  readonly keys: readonly string[] | undefined;
  /** secret names (or deprecated inline key material) */
  readonly keyData: readonly string[] | undefined;
  readonly config: boolean | readonly string[];
  readonly forwardAgent: boolean;
};

export type Sshkit = {
  readonly maxConcurrentStarts: number;
  readonly poolIdleTimeout: number;
  readonly dnsRetries: number;
};

export type Boot = {
  /** hosts per boot group, already resolved from `N` or `N%`; undefined = all at once */
  readonly limit: number | undefined;
  readonly wait: number | undefined;
  readonly parallelRoles: boolean;
};

export type HookVerbosity = "quiet" | "verbose";

/** Secrets from .kamal/secrets*, loaded lazily (the `$(...)` in them run on load, as Kamal does). */
export interface SecretStore {
  /** Runs the files' `$(...)` substitutions once; later calls reuse the result. */
  load(): Promise<void>;
  /** Throws a SextantError naming the secret and the files searched. Call after load(). */
  get(name: string): Secret;
  has(name: string): boolean;
  /** Every secret, for the hooks' environment and `secrets print`. */
  all(): ReadonlyMap<string, Secret>;
  /** The files read, relative to the working directory, in order. */
  readonly files: readonly string[];
}

export type Config = {
  readonly service: string;
  readonly image: string;
  readonly destination: string | undefined;
  /** the app version in force (see kamal-commands.md §2.2) */
  readonly version: string;
  /** `[registry.server/]image` */
  readonly repository: string;
  /** `SVC[-DEST]` */
  readonly serviceWithDestination: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly volumes: readonly string[];
  readonly registry: Registry;
  /** in Kamal's execution order: primary role first, then the others alphabetically */
  readonly roles: readonly Role[];
  readonly primaryRole: string;
  readonly allowEmptyRoles: boolean;
  readonly accessories: readonly Accessory[];
  readonly env: EnvSpec;
  /** root env tags: tag -> env */
  readonly envTags: Readonly<Record<string, EnvSpec>>;
  readonly logging: Logging;
  readonly ssh: Ssh;
  readonly sshkit: Sshkit;
  readonly builder: Builder;
  readonly boot: Boot;
  readonly hooksPath: string;
  readonly hooksOutput: HookVerbosity | Readonly<Record<string, HookVerbosity>> | undefined;
  readonly secretsPath: string;
  readonly errorPagesPath: string | undefined;
  readonly requireDestination: boolean;
  readonly retainContainers: number;
  readonly minimumVersion: string | undefined;
  readonly readinessDelay: number;
  readonly deployTimeout: number;
  readonly drainTimeout: number;
  readonly stopTimeout: number | undefined;
  readonly assetPath: string | undefined;
  readonly aliases: Readonly<Record<string, string>>;
  /** `output:` log copies; a section present without its setting holds "" (rules report it) */
  readonly output: {
    readonly file: { readonly path: string } | undefined;
    readonly otel: { readonly endpoint: string } | undefined;
  };
  readonly secrets: SecretStore;
  /** the merged YAML after ERB, as validated: what `sextant config` prints from */
  readonly raw: Readonly<Record<string, unknown>>;
  /** the files the config came from, for messages */
  readonly files: readonly string[];
};
