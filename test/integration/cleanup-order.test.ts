import assert from 'node:assert/strict';
import { runCli, scenarioDir } from '../support/cli.js';

/** A scenario that opens three sessions over two clients, then fails, so only cleanup destroys them. */
const SCENARIO = `
name: teardown order
clients: [alice, bob]
steps:
  - { client: alice, request: create, save: { a1: data.id } }
  - { client: alice, request: create, save: { a2: data.id } }
  - { client: bob, request: create, save: { b1: data.id } }
  - client: alice
    request: info
    expect: { janus: not-server-info }
`;

interface Message { client: string; direction: string; message: { janus: string; session_id?: number } }

/**
 * Cleanup undoes a set-up in reverse, one session at a time: a session made later may depend
 * on an earlier one (a SIP helper on its master), and Janus before 1.4.0 mishandles a master
 * destroyed before its helper.
 */
describe('cleanup order', function () {
  this.timeout(60_000);

  for (const transport of ['http', 'ws']) {
    it(`over ${transport}: the last client's sessions first, each client's newest first, each destroy answered before the next is sent`, async function () {
      const files = scenarioDir({ 'order.yaml': SCENARIO });
      try {
        const run = await runCli(['run', files.path('order.yaml'), '-t', transport, '--reporter', 'json:-']);
        assert.equal(run.code, 1, run.stdout + run.stderr);
        const [scenario] = (JSON.parse(run.stdout) as { scenarios: Array<{ saved: Record<string, number>; messages: Message[] }> }).scenarios;
        const { a1, a2, b1 } = scenario!.saved;
        const destroys = scenario!.messages.filter((m) => m.message.janus === 'destroy' || (m.direction === 'in' && m.message.janus === 'success' && m.message.session_id !== undefined));
        assert.deepEqual(
          destroys.map((m) => `${m.direction} ${m.client} ${m.message.janus} ${m.message.session_id}`),
          [[b1, 'bob'], [a2, 'alice'], [a1, 'alice']].flatMap(([id, client]) => [`out ${client} destroy ${id}`, `in ${client} success ${id}`]),
        );
      } finally {
        files.remove();
      }
    });
  }
});
