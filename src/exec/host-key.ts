import { SextantError } from "../errors.ts";
import { fingerprint, keyType, readKnownKeys, recordKey, verdict, type KnownKey } from "./known-hosts.ts";
import type { Target } from "./ssh-target.ts";

/**
 * Decides whether to trust the key a host presented. Pinned keys in the app's `.kamal/known_hosts` are checked
 * first and, when they name the host, are the only ones that count. Otherwise the user's and the system's
 * known_hosts files decide: a known key passes, a different key is refused, and an unknown host is accepted and
 * recorded in the user's file (OpenSSH's accept-new, which is what Kamal does) unless StrictHostKeyChecking is yes.
 * Returns undefined when trusted, or the error to report.
 */
export async function checkHostKey(target: Target, presented: Buffer, pinnedFile: string): Promise<SextantError | undefined> {
  const name = target.hostKeyName;
  const pinned = await readKnownKeys([pinnedFile], name);
  if (pinned.length) return judge(target, presented, pinned, () => undefined);
  const known = await readKnownKeys([...target.userKnownHosts, ...target.globalKnownHosts], name);
  return judge(target, presented, known, async () => {
    const strict = target.strictHostKeyChecking;
    if (strict === "yes" || strict === "true")
      return new SextantError(`[${target.host}] host key for ${name} is not known and StrictHostKeyChecking is on`, {
        hint: `check ${fingerprint(presented)} out of band, then add it with \`sextant server keyscan\` or \`ssh-keyscan -p ${target.port} ${target.address} >> ~/.ssh/known_hosts\``,
      });
    if (strict === "no" || strict === "off") return undefined;
    const file = target.userKnownHosts[0];
    if (file) await recordKey(file, name, presented);
    return undefined;
  });
}

async function judge(
  target: Target,
  presented: Buffer,
  known: readonly KnownKey[],
  onUnknown: () => Promise<SextantError | undefined> | undefined,
): Promise<SextantError | undefined> {
  const result = verdict(known, presented);
  if (result.status === "known") return undefined;
  if (result.status === "unknown") return onUnknown();
  const where = result.known.map((k) => `${k.file}:${k.line} has ${k.type} ${fingerprint(k.blob)}`).join("; ");
  const name = target.hostKeyName;
  if (result.status === "revoked")
    return new SextantError(`[${target.host}] host key for ${name} is revoked (${where})`, {
      hint: "the host must get a new host key before sextant will connect",
    });
  return new SextantError(
    `[${target.host}] host key for ${name} has changed: it presented ${keyType(presented)} ${fingerprint(presented)}, but ${where}`,
    {
      hint: `if the host was rebuilt or its keys rotated, remove the old key with \`${removeCommand(name, result.known[0]?.file)}\` and connect again; otherwise someone may be intercepting the connection`,
    },
  );
}

// `ssh-keygen -R` edits ~/.ssh/known_hosts unless told otherwise, whatever UserKnownHostsFile says, so any other
// file is named with -f.
function removeCommand(name: string, file: string | undefined): string {
  const quoted = name.startsWith("[") ? `'${name}'` : name;
  return file === undefined || file.endsWith("/.ssh/known_hosts") ? `ssh-keygen -R ${quoted}` : `ssh-keygen -R ${quoted} -f ${file}`;
}
