import type { JanusMessage } from '../../src/protocol/messages.js';
import type { TransportDefinition } from '../../src/transports/contract.js';
import { withRouteIds } from '../../src/transports/wire.js';

/**
 * A transport with no server behind it: every request gets `success` with `data` (a session id,
 * 7, by default), from inside send() or from a later callback. For tests of the runner itself.
 */
export function answeringTransport(name: string, when: 'inside-send' | 'later', data: unknown = { id: 7 }): TransportDefinition {
  return scriptedTransport(name, (request) => [{ janus: 'success', transaction: request.transaction, data }], when);
}

/**
 * A transport with no server behind it that gives each request the replies `answers` makes for
 * it, one at a time, each on a later turn, in order (as Janus sends an ack and then an event);
 * the first from inside send() or from a later callback. The request carries the ids of its
 * route, as a WebSocket frame does.
 */
export function scriptedTransport(name: string, answers: (request: JanusMessage) => JanusMessage[], when: 'inside-send' | 'later' = 'later'): TransportDefinition {
  return {
    name,
    schemes: [name],
    secure: false,
    async connect(_options, sink) {
      return {
        ignoresSignal: true,
        send(payload, route) {
          const replies = answers(withRouteIds((typeof payload === 'string' ? JSON.parse(payload) : payload) as JanusMessage, route));
          const next = (): void => {
            const reply = replies.shift();
            if (!reply) return;
            sink.message(reply);
            setImmediate(next);
          };
          if (when === 'inside-send') next();
          else setImmediate(next);
          return Promise.resolve(undefined);
        },
        async close() {},
      };
    },
  };
}
