import { commonProperties } from './common.js';
import { ownMistake, StepFailure, type StepKind } from './contract.js';
import { TransportFault } from '../transports/contract.js';

/**
 * `reopen:` gives a closed client a new connection (a new WebSocket, new long-polls), under
 * the same name: its ids and mailbox stay. Sessions it had stay unbound until it `claim`s them
 * over WebSocket; over HTTP, where Janus binds no session to a connection, they are polled again.
 */
export const reopenStep: StepKind = {
  key: 'reopen',
  summary: 'open a new connection for a client whose connection was closed; its sessions stay unbound until a claim (over WebSocket; over HTTP they are polled again)',
  schema: {
    type: 'object',
    required: ['reopen'],
    additionalProperties: false,
    properties: {
      reopen: { const: true, description: 'true: connect the client again' },
      ...commonProperties,
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    return {
      kind: 'reopen',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} reopens its connection`,
      client,
      needs: 'connection',
      async execute(ctx) {
        const janus = await ctx.janus(ctx.actor(client));
        if (!janus.closed) throw ownMistake(`client ${client}'s connection is open: only a closed connection can be reopened (close it first)`);
        try {
          await janus.reopen();
        } catch (e) {
          throw new StepFailure('infrastructure', e instanceof TransportFault ? e.message : `cannot connect again: ${(e as Error).message}`);
        }
      },
    };
  },
};
