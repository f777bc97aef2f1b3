// Remote port forwarding (`ssh -R`) over a host's existing connection: connections the host makes to
// 127.0.0.1:<remote port> reach <local address>:<local port> on this machine. A local registry
// (registry.server: localhost:PORT) is how hosts pull from it (kamal lib/kamal/cli/build/port_forwarding.rb).
import { connect, type Socket } from "node:net";
import type { Client, ClientChannel, TcpConnectionDetails } from "ssh2";
import type { RemoteForward } from "./executor.ts";

const BIND_ADDRESS = "127.0.0.1";

/** Asks sshd to listen on 127.0.0.1:`remotePort` and carries each connection to `local`. */
export function forwardRemotePort(
  client: Client,
  remotePort: number,
  local: { readonly host: string; readonly port: number },
): Promise<RemoteForward> {
  const open = new Set<{ channel: ClientChannel; socket: Socket }>();
  // One listener per forward: a connection to another forwarded port is another listener's.
  const onConnection = (details: TcpConnectionDetails, accept: () => ClientChannel) => {
    if (details.destPort !== remotePort) return;
    const channel = accept();
    const socket = connect(local.port, local.host);
    const pair = { channel, socket };
    open.add(pair);
    channel.pipe(socket).pipe(channel);
    const done = () => {
      open.delete(pair);
      socket.destroy();
      channel.close();
    };
    socket.on("error", done);
    socket.on("close", done);
    channel.on("error", done);
    channel.on("close", done);
  };
  return new Promise((resolve, reject) => {
    client.forwardIn(BIND_ADDRESS, remotePort, (err) => {
      if (err) {
        reject(err);
        return;
      }
      client.on("tcp connection", onConnection);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            client.off("tcp connection", onConnection);
            for (const { channel, socket } of open) {
              socket.destroy();
              channel.close();
            }
            open.clear();
            // the connection may be gone already; then there is nothing left to cancel
            try {
              client.unforwardIn(BIND_ADDRESS, remotePort, () => done());
            } catch {
              done();
            }
          }),
      });
    });
  });
}
