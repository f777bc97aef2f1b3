import { readFile } from "node:fs/promises";
// ssh2 is CommonJS and stays outside the bundle, so it is imported whole (Node has no named exports for it).
import ssh2 from "ssh2";

const { utils } = ssh2;
import type { Secret } from "../config/secret.ts";

/** One way to log in, in the order tried. */
export type AuthMethod =
  | { readonly type: "agent"; readonly username: string; readonly agent: string }
  | { readonly type: "publickey"; readonly username: string; readonly key: Buffer };

/**
 * The login attempts for a user, in net-ssh's order: the ssh-agent (SSH_AUTH_SOCK) unless keys_only, then the
 * `key_data` secrets, then key files. Files that are missing, unreadable, passphrase-protected or not keys are
 * skipped, as ssh does for its default identities.
 */
export async function authMethods(opts: {
  readonly username: string;
  readonly identityFiles: readonly string[];
  readonly keyData: readonly Secret[];
  readonly keysOnly: boolean;
  readonly agentSocket: string | undefined;
}): Promise<AuthMethod[]> {
  const methods: AuthMethod[] = [];
  if (opts.agentSocket && !opts.keysOnly) methods.push({ type: "agent", username: opts.username, agent: opts.agentSocket });
  const material = [
    ...opts.keyData.map((s) => Buffer.from(s.reveal())),
    ...(await Promise.all(opts.identityFiles.map((f) => readFile(f).catch(() => undefined)))),
  ];
  for (const key of material) {
    if (key && isUsablePrivateKey(key)) methods.push({ type: "publickey", username: opts.username, key });
  }
  return methods;
}

function isUsablePrivateKey(key: Buffer): boolean {
  const parsed = utils.parseKey(key);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return first !== undefined && !(first instanceof Error) && first.isPrivateKey();
}
