import { execa } from "execa";
import path from "node:path";
import { sshArgs, type Lab } from "./lab.ts";

// A host's dockerd stopped and started again, for fault tests. Both go through the host's own sshd, which lives in
// the node's mount and PID namespaces: there /run/docker.pid names dockerd and /etc/docker is the node's config.

const onHost = (lab: Lab, host: string, command: string) => execa("ssh", sshArgs(lab, host, command));

/** TERM to the host's dockerd, as `systemctl stop docker` sends; resolves once it exited (its containers stop with it). */
export async function stopDockerd(lab: Lab, host: string): Promise<void> {
  await onHost(lab, host, "pid=$(cat /run/docker.pid) && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.1; done");
}

/**
 * Starts dockerd again as the node's boot script does; PID 1 of the node adopts it, so teardown still ends it.
 * Resolves once it answers; containers with a restart policy (kamal-proxy, the app) come back by themselves.
 */
export async function startDockerd(lab: Lab, host: string): Promise<void> {
  const node = lab.hosts.find((h) => h.name === host || h.address === host);
  if (!node) throw new Error(`no lab host ${host}`);
  const log = path.join(lab.dir, "nodes", node.name, "dockerd.log");
  await onHost(lab, host, `setsid dockerd --config-file /etc/docker/daemon.json >>${log} 2>&1 </dev/null &`);
  const deadline = Date.now() + 30_000;
  while ((await execa(lab.builder.dockerBin, ["-H", node.dockerHost, "version"], { reject: false })).exitCode !== 0) {
    if (Date.now() > deadline) throw new Error(`dockerd on ${host} did not answer within 30 s after its restart`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
