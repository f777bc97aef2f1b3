// Which app version a command deploys (kamal-commands.md §2.2, Kamal's Configuration#version and #git_version):
// `--version`, else $VERSION, else the git commit. A dirty tree only changes the version when the build uses the
// working directory (`builder.context` set); otherwise Kamal builds from a clean clone of HEAD.
import { randomBytes } from "node:crypto";
import { UsageError, type SextantError } from "../errors.ts";
import type { ShellCapture } from "./erb.ts";

export type VersionInputs = {
  /** `--version`; an empty string counts as not given, as in Kamal */
  readonly declared?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** true when `builder.context` is set, so uncommitted changes end up in the image */
  readonly buildsWorkingTree: boolean;
  readonly shell: ShellCapture;
  readonly randomHex?: (bytes: number) => string;
};

export async function resolveVersion(inputs: VersionInputs): Promise<string> {
  if (inputs.declared) return checkTag(inputs.declared, "--version");
  if (inputs.env.VERSION) return checkTag(inputs.env.VERSION, "VERSION");
  if (inputs.env.VERSION !== undefined) return inputs.env.VERSION;
  return gitVersion(inputs);
}

export class InvalidVersionError extends UsageError {}

// The version goes unquoted into host commands (image tags, container names, `sh -c` scripts), as in Kamal, so
// it must be what Docker accepts as a tag anyway (issue 16): then no shell can act on it.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** `version` itself, or a UsageError naming `source` (`--version`, `VERSION`, `rollback VERSION`). */
export function checkTag(version: string, source: string): string {
  if (TAG.test(version)) return version;
  throw new InvalidVersionError(`${source} ${JSON.stringify(version.length > 80 ? `${version.slice(0, 80)}...` : version)} is not a version tag`, {
    hint: "a version is an image tag: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`",
  });
}

async function gitVersion({ cwd, env, shell, buildsWorkingTree, randomHex = hex }: VersionInputs): Promise<string> {
  const head = await shell("git rev-parse HEAD", { cwd, env });
  if (head.code !== 0) throw gitError(cwd, head.stderr, head.code);
  const sha = head.stdout.trim();
  if (!buildsWorkingTree) return sha;
  const status = await shell("git status --porcelain", { cwd, env });
  return status.stdout.trim() === "" ? sha : `${sha}_uncommitted_${randomHex(8)}`;
}

function gitError(cwd: string, stderr: string, code: number): SextantError {
  const hint = "pass --version VERSION or set VERSION, or deploy from a git repository with at least one commit";
  if (code === 127) return new UsageError(`Can't use commit hash as version, git is not installed`, { hint });
  if (/ambiguous argument 'HEAD'|unknown revision/.test(stderr))
    return new UsageError(`Can't use commit hash as version, the git repository in ${cwd} has no commits yet`, { hint });
  return new UsageError(`Can't use commit hash as version, no git repository found in ${cwd}`, { hint });
}

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** The tag that commands without `--version` boot (`app boot`, `app exec`, `proxy upgrade`): `latest[-DEST]`. */
export function latestTag(destination: string | undefined): string {
  return destination ? `latest-${destination}` : "latest";
}

/** `KAMAL_SERVICE_VERSION`'s form: the first 7 characters, but `<sha>_uncommitted_<hex>` is kept whole. */
export function abbreviatedVersion(version: string): string {
  return version.includes("_") ? version : version.slice(0, 7);
}
