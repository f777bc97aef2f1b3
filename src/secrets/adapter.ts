// What every secrets adapter is made of, mirroring Kamal's adapter base class (kamal lib/kamal/secrets/adapters/
// base.rb): a CLI probe, a sign-in step that may yield a session, and the fetch itself. fetch.ts runs them in order.
import type { z } from "zod";
import type { CaptureResult } from "../exec/local.ts";
import { SextantError } from "../errors.ts";

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Runs one shell line locally, the way Kamal's adapters use Ruby backticks: `/bin/sh -c`, status kept. `interactive`
 * lets a sign-in prompt on the terminal (stdin and stderr are the terminal's; stdout is still captured).
 */
export type Runner = (command: string, opts: { cwd: string; env: Environment; interactive?: boolean }) => Promise<CaptureResult>;

/** An adapter's view of the machine: run a line of shell in the user's directory and environment. */
export type VendorShell = {
  run(line: string): Promise<CaptureResult>;
  /** for sign-in commands, which may ask for a password */
  prompt(line: string): Promise<CaptureResult>;
  readonly env: Environment;
};

/** name -> value, in the vendor's order. `null` where the vendor has the key but no value (JSON null). */
export type Fetched = Map<string, string | null>;

export type FetchRequest = {
  readonly names: readonly string[];
  readonly from: string | undefined;
  readonly account: string | undefined;
  /** whatever login() returned (a 1Password or Bitwarden session token) */
  readonly session: string | undefined;
};

export type Adapter = {
  readonly requiresAccount: boolean;
  /** Kamal's `<cli> --version 2> /dev/null` check, with the message when it fails and how to install. */
  readonly probe?: { readonly command: string; readonly missing: string; readonly install: string };
  login(sh: VendorShell, account: string | undefined): Promise<string | undefined>;
  fetch(sh: VendorShell, request: FetchRequest): Promise<Fetched>;
};

/** Kamal's `prefixed_secrets`: `--from F` turns every NAME into `F/NAME`. */
export const prefixed = (names: readonly string[], from: string | undefined): string[] =>
  names.map((name) => (from === undefined ? name : `${from}/${name}`));

/**
 * A vendor CLI said no: Kamal's message, then the tail of the CLI's stderr, then the fix. Only stderr: stdout may
 * hold secret values.
 */
export function vendorError(message: string, result: CaptureResult | undefined, hint: string): SextantError {
  const said = result ? result.stderr.trim().split("\n").slice(-3).join("\n") : "";
  return new SextantError(said ? `${message}: ${said}` : message, { hint });
}

/** Parses a vendor CLI's JSON output against what we rely on; anything else is a clear error, not a crash. */
export function parseVendorJson<T>(schema: z.ZodType<T>, text: string, what: string, hint: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SextantError(`${what} did not print JSON`, { hint });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new SextantError(`${what} printed JSON of an unexpected shape`, { hint, cause: parsed.error });
  return parsed.data;
}
