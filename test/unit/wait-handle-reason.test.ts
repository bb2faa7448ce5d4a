import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import { Arrivals } from '../../src/janus/arrivals.js';
import type { JanusClient } from '../../src/janus/client.js';
import { Mailbox } from '../../src/janus/mailbox.js';
import { StepFailure } from '../../src/steps/contract.js';
import { stepContext } from '../support/step-context.js';

/**
 * A wait restricted to one handle (`handle: e`) that finds nothing from it: messages of other
 * handles may be in the mailbox, and the failure said "(none arrived)", sending its reader to
 * look for a server that sent nothing rather than at the handle the event came from.
 */
describe('a wait for one handle\'s message that does not come', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wait-handle-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function failureWith(stored: Array<Record<string, unknown>>, takenBefore: Array<Record<string, unknown>> = []): Promise<StepFailure> {
    writeFileSync(join(dir, 's.yaml'), 'name: x\nsteps:\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: e\n  - wait: { janus: detached }\n    handle: e\n    within: 20ms\n');
    const r = loadFiles([join(dir, 's.yaml')], { cwd: dir, env: {}, knownSchema: () => false });
    assert.deepEqual(r.diagnostics, []);
    const mailbox = new Mailbox();
    for (const m of stored) mailbox.put(m);
    const arrivals = new Arrivals();
    for (const m of [...takenBefore, ...stored]) arrivals.record(m);
    const client = { fault: undefined, arrivals, mailbox, goneSessions: new Set(), cutPolls: new Set(), unreachableSessions: () => [] } as unknown as JanusClient;
    const { ctx } = stepContext(r.scenarios[0]!, client, { actor: { handles: new Map([['e', 77]]) } });
    const failure = await r.scenarios[0]!.steps[1]!.execute(ctx).then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof StepFailure, String(failure));
    return failure;
  }

  it('says that messages of other handles came, not that none did', async function () {
    const failure = await failureWith([{ janus: 'detached', session_id: 5, sender: 88 }]);
    assert.equal(failure.summary, 'no message matching the pattern arrived within 20ms (none from handle e; 1 message of other handles or of none is in the mailbox)');
  });

  it('says so when the message came before and a step took it (a request waiting for its event, then a wait for it)', async function () {
    const failure = await failureWith([], [{ janus: 'detached', session_id: 5, sender: 88 }, { janus: 'detached', session_id: 5, sender: 77, transaction: 't1' }]);
    assert.equal(failure.summary, 'no message matching the pattern arrived within 20ms; one that matches, "detached" (transaction t1), came earlier and a step before this one took it: each message is taken once, and a request takes its reply (and its event, when its expect waits past the ack)');
  });

  it('says none arrived when the mailbox is empty', async function () {
    assert.equal((await failureWith([])).summary, 'no message matching the pattern arrived within 20ms (none arrived)');
  });
});
