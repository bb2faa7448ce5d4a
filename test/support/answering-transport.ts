import type { JanusMessage } from '../../src/protocol/messages.js';
import type { TransportDefinition } from '../../src/transports/contract.js';

/**
 * A transport with no server behind it: every request gets `success` with `data` (a session id,
 * 7, by default), from inside send() or from a later callback. For tests of the runner itself.
 */
export function answeringTransport(name: string, when: 'inside-send' | 'later', data: unknown = { id: 7 }): TransportDefinition {
  return {
    name,
    schemes: [name],
    secure: false,
    async connect(_options, sink) {
      return {
        ignoresSignal: true,
        send(payload) {
          const request = (typeof payload === 'string' ? JSON.parse(payload) : payload) as JanusMessage;
          const reply: JanusMessage = { janus: 'success', transaction: request.transaction, data };
          if (when === 'inside-send') sink.message(reply);
          else setImmediate(() => sink.message(reply));
          return Promise.resolve(undefined);
        },
        async close() {},
      };
    },
  };
}
