import { execa } from "execa";
import { sshArgs, type Lab } from "./lab.ts";

// A host whose disk is full where `docker pull` writes. dockerd downloads every layer into <data root>/tmp
// (its TMPDIR) before it extracts it; a small tmpfs filled to the last byte over that directory, inside the node's
// mount namespace, makes the pull fail with the kernel's own ENOSPC while the rest of the lab machine's disk is
// untouched. Giving a host a whole small data root would mean moving its images and containers onto it.

const TMP = "/var/lib/docker/tmp";

/** Fills the pull's download space on `host` until the returned function frees it. */
export async function fillPullSpace(lab: Lab, host: string): Promise<() => Promise<void>> {
  const onHost = (command: string) => execa("ssh", sshArgs(lab, host, command));
  // dd stops at "No space left on device", which is the point.
  await onHost(`mount -t tmpfs -o size=256k sextant-full ${TMP} && { dd if=/dev/zero of=${TMP}/fill bs=4k 2>/dev/null; df -k ${TMP} | tail -1; }`);
  return async () => {
    await onHost(`umount -l ${TMP}`);
  };
}
