import { readFile } from "node:fs/promises";
// ssh2 is CommonJS and stays outside the bundle, so it is imported whole (Node has no named exports for it).
import ssh2 from "ssh2";

const { utils } = ssh2;
import type { Secret } from "../config/secret.ts";

/** One way to log in, in the order tried. */
export type AuthMethod =
  | { readonly type: "agent"; readonly username: string; readonly agent: string }
  | { readonly type: "publickey"; readonly username: string; readonly key: Buffer; readonly passphrase?: string };

/** Asks for the passphrase of a key file; undefined when nobody can answer (no terminal). */
export type PassphraseSource = (file: string) => Promise<string | undefined>;

export type AuthPlan = {
  readonly methods: AuthMethod[];
  /** passphrase-protected key files left out (no passphrase, or a wrong one), for the error that follows */
  readonly locked: string[];
};

/**
 * The login attempts for a user, in net-ssh's order: the ssh-agent (SSH_AUTH_SOCK) unless keys_only, then the
 * `key_data` secrets, then key files. Files that are missing, unreadable or not keys are skipped, as ssh does for
 * its default identities; a passphrase-protected file is used when `passphrase` answers for it (net-ssh asks on
 * the terminal too) and is otherwise listed in `locked`.
 */
export async function authMethods(opts: {
  readonly username: string;
  readonly identityFiles: readonly string[];
  readonly keyData: readonly Secret[];
  readonly keysOnly: boolean;
  readonly agentSocket: string | undefined;
  readonly passphrase?: PassphraseSource;
}): Promise<AuthPlan> {
  const methods: AuthMethod[] = [];
  const locked: string[] = [];
  if (opts.agentSocket && !opts.keysOnly) methods.push({ type: "agent", username: opts.username, agent: opts.agentSocket });
  const material: [Buffer | undefined, string | undefined][] = [
    ...opts.keyData.map((s): [Buffer, undefined] => [Buffer.from(s.reveal()), undefined]),
    ...(await Promise.all(opts.identityFiles.map(async (f): Promise<[Buffer | undefined, string]> => [await readFile(f).catch(() => undefined), f]))),
  ];
  for (const [key, file] of material) {
    if (!key) continue;
    const state = keyState(key);
    if (state === "usable") methods.push({ type: "publickey", username: opts.username, key });
    if (state !== "encrypted" || file === undefined) continue;
    const passphrase = await opts.passphrase?.(file);
    if (passphrase !== undefined && keyState(key, passphrase) === "usable") methods.push({ type: "publickey", username: opts.username, key, passphrase });
    else locked.push(file);
  }
  return { methods, locked };
}

function keyState(key: Buffer, passphrase?: string): "usable" | "encrypted" | "unusable" {
  const parsed = utils.parseKey(key, passphrase);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first instanceof Error) return /encrypted|passphrase/i.test(first.message) && passphrase === undefined ? "encrypted" : "unusable";
  return first !== undefined && first.isPrivateKey() ? "usable" : "unusable";
}
