import { connect, createServer, type ListenOptions, type NetConnectOpts, type Server } from 'node:net';

/**
 * A listener that pipes every connection it accepts to a new connection to `target`, both ways,
 * byte for byte (TLS passes through untouched). It joins the runner's loopback ports to a Janus
 * in a network namespace: TCP port → Unix socket in the instance folder → the namespace's own
 * loopback port. Resolves once listening; rejects with the listen error (EADDRINUSE: port taken).
 */
export function bridge(listenOn: ListenOptions, target: NetConnectOpts): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (incoming) => {
    const outgoing = connect({ ...target, allowHalfOpen: true });
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
    // Either side failing ends both: the client sees a reset, as with a dead server.
    incoming.once('error', () => outgoing.destroy());
    outgoing.once('error', () => incoming.destroy());
    incoming.once('close', () => outgoing.destroy());
    outgoing.once('close', () => incoming.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenOn, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The Unix socket in an instance folder through which the runner reaches a namespaced Janus port. */
export function bridgeSocketPath(dir: string, port: number): string {
  return `${dir}/port-${port}.sock`;
}

/** The Unix socket through which a namespaced Janus reaches a loopback port outside (a broker). */
export function outboundSocketPath(dir: string, port: number): string {
  return `${dir}/out-${port}.sock`;
}
