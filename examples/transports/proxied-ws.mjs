// A transport written against janus-scenarios' public contract (docs/transports.md): the Janus
// WebSocket protocol, reached through a TCP proxy you control (say, one that delays, drops or
// logs traffic). Load it with
//   janus-scenarios run scenarios --transport-module ./examples/transports/proxied-ws.mjs \
//     --transport proxied-ws --url proxied-ws://127.0.0.1:9000
// where 127.0.0.1:9000 forwards bytes to Janus's WebSocket port (8188), e.g.
//   socat TCP-LISTEN:9000,fork,reuseaddr TCP:127.0.0.1:8188
import WebSocket from 'ws';
import { TransportFault } from 'janus-scenarios';

/** @type {import('janus-scenarios').TransportDefinition} */
const proxiedWs = {
  name: 'proxied-ws',
  schemes: ['proxied-ws'],
  secure: false,
  connect(options, sink) {
    // proxied-ws://host:port → ws://host:port (whatever the scheme): the proxy passes the handshake through.
    const url = `ws:${options.url.slice(options.url.indexOf(':') + 1)}`;
    // Janus refuses a WebSocket without the subprotocol of the API it serves.
    const protocol = options.api === 'admin' ? 'janus-admin-protocol' : 'janus-protocol';
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocol, { handshakeTimeout: options.connectTimeoutMs });
      let open = false;
      let closing = false;
      socket.once('open', () => {
        open = true;
        resolve({
          // Janus reads session_id/handle_id from the body on WebSocket: add them from the route.
          send(payload, route) {
            const body = typeof payload === 'string' ? payload : JSON.stringify({
              ...(route.sessionId !== undefined && { session_id: route.sessionId }),
              ...(route.handleId !== undefined && { handle_id: route.handleId }),
              ...payload,
            });
            return new Promise((done, fail) => socket.send(body, (err) => (err ? fail(new TransportFault(`proxied-ws: send failed: ${err.message}`)) : done(undefined))));
          },
          close() {
            closing = true;
            if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
            return new Promise((done) => {
              socket.once('close', () => done());
              socket.close(1000);
            });
          },
        });
      });
      // Replies and events arrive on the socket: hand each to the sink (one JSON object each).
      socket.on('message', (data) => {
        let message;
        try {
          message = JSON.parse(String(data));
        } catch {
          sink.fault(new TransportFault('proxied-ws: malformed JSON from server'));
          return;
        }
        sink.message(message);
      });
      // Faults are one line: they end up in the report, and the run exits 3.
      socket.on('error', (err) => {
        if (!open) reject(new TransportFault(`proxied-ws ${url}: ${err.message}`));
        else if (!closing) sink.fault(new TransportFault(`proxied-ws: connection error: ${err.message}`));
      });
      socket.on('close', () => {
        if (open && !closing) sink.fault(new TransportFault('proxied-ws: connection closed by the proxy or server'));
      });
    });
  },
};

export default proxiedWs;
