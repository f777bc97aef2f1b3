import { execa } from "execa";
import { NAME_PREFIX } from "./settings.ts";

// Traffic to one lab node refused at its own network namespace, for fault tests: each rule resets the TCP
// connection, so the client fails at once (a connection in use breaks on its next packet) instead of timing out.

export type Unblock = () => Promise<void>;

/**
 * Refuses TCP to `port` on the node (`host-3`, `registry`), or only the packets that contain `containing` (a
 * request path), until the returned function is called.
 */
export async function blockTcp(node: string, port: number, containing?: string): Promise<Unblock> {
  const rule = ["INPUT", "-p", "tcp", "--dport", String(port),
    ...(containing === undefined ? [] : ["-m", "string", "--string", containing, "--algo", "bm"]),
    "-j", "REJECT", "--reject-with", "tcp-reset"];
  const iptables = (...args: string[]) => execa("ip", ["netns", "exec", `${NAME_PREFIX}${node}`, "iptables", ...args]);
  await iptables("-I", ...rule);
  return async () => {
    await iptables("-D", ...rule);
  };
}
