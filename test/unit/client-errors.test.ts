import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JanusClient } from '../../src/janus/client.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { TransportFault, type TransportDefinition, type TransportSink } from '../../src/transports/contract.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { until } from '../support/transports.js';

/**
 * Code run on an incoming message (traffic and event listeners, the schema checker, the mailbox)
 * runs inside a transport's socket callback: what it throws must fail the scenario that owns the
 * client, at the step it was in, and never escape as an uncaught exception, a hang or a fault
 * blamed on the server. Keepalives that fail are the lost-connection path, or a warning.
 */

/** A push transport answering every request with `success` from a later callback, like a WebSocket. */
function echoTransport(name: string, options: { direct?: boolean; sendFails?: TransportFault } = {}): TransportDefinition & { sinks: TransportSink[] } {
  const sinks: TransportSink[] = [];
  return {
    name,
    schemes: [name],
    secure: false,
    sinks,
    async connect(_options, sink) {
      sinks.push(sink);
      return {
        async send(payload) {
          if (options.sendFails) throw options.sendFails;
          const request = (typeof payload === 'string' ? JSON.parse(payload) : payload) as JanusMessage;
          const reply: JanusMessage = { janus: 'success', transaction: request.transaction, data: { id: 7 } };
          if (options.direct) return reply;
          setImmediate(() => sink.message(reply));
          return undefined;
        },
        async close() {},
      };
    },
  };
}

const escaped: unknown[] = [];
const onEscape = (e: unknown): number => escaped.push(e);

describe('exceptions on incoming messages', function () {
  this.timeout(20_000);
  let dir: string;
  let saved: NodeJS.UncaughtExceptionListener[] = [];
  let savedRejections: NodeJS.UnhandledRejectionListener[] = [];
  // Mocha's own catch-all would hide an escape by failing whichever test runs: this records it instead.
  beforeEach(() => {
    escaped.length = 0;
    saved = process.listeners('uncaughtException');
    savedRejections = process.listeners('unhandledRejection');
    process.removeAllListeners('uncaughtException').removeAllListeners('unhandledRejection');
    process.on('uncaughtException', onEscape).on('unhandledRejection', onEscape);
  });
  afterEach(() => {
    process.off('uncaughtException', onEscape).off('unhandledRejection', onEscape);
    for (const l of saved) process.on('uncaughtException', l);
    for (const l of savedRejections) process.on('unhandledRejection', l);
  });
  before(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-client-errors-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const base = { api: 'janus' as const, nextTransaction: () => 'tx', pollAuth: {} };
  const connect = { url: 'x://', api: 'janus' as const, tls: {}, connectTimeoutMs: 1000 };
  const throwingOnIn = () => (direction: string) => {
    if (direction === 'in') throw new Error('listener broke\nsecond line');
  };

  for (const direct of [false, true]) {
    it(`goes to onError and ends no request as a server fault (reply ${direct ? 'as the POST body' : 'pushed'})`, async () => {
      const errors: unknown[] = [];
      const faults: TransportFault[] = [];
      const client = await JanusClient.connect(echoTransport('t', { direct }), connect, { ...base, onTraffic: throwingOnIn(), onError: (e) => errors.push(e), onFault: (f) => faults.push(f) });
      // The traffic listener runs with the reply's books, after the reply answered its request.
      const outcome = await client.request({ janus: 'create', transaction: 'a' }, {}, 'final', 60_000);
      assert.ok('exchange' in outcome && outcome.exchange.reply.janus === 'success', JSON.stringify(outcome));
      await until('the error is reported', () => errors.length > 0);
      assert.match(String((errors[0] as Error).message), /listener broke/);
      assert.deepEqual(faults, []);
      assert.equal(client.fault, undefined);
      assert.deepEqual(escaped, []);
    });
  }

  it('without onError, ends the request waiting at once with the error (the next one, when none waits), not at its time limit', async () => {
    const client = await JanusClient.connect(echoTransport('t'), connect, { ...base, onTraffic: throwingOnIn() });
    const answered = await client.request({ janus: 'create', transaction: 'a' }, {}, 'final', 60_000);
    assert.ok('exchange' in answered, JSON.stringify(answered));
    const outcome = await client.request({ janus: 'create', transaction: 'b' }, {}, 'final', 60_000);
    assert.ok('fault' in outcome && /internal error while handling a message: listener broke$/.test(outcome.fault.message), JSON.stringify(outcome));
    assert.deepEqual(escaped, []);
  });

  it('a keepalive that cannot be sent is a lost connection; one that throws is a warning', async () => {
    const faults: TransportFault[] = [];
    const dead = await JanusClient.connect(echoTransport('t', { sendFails: new TransportFault('connection reset') }), connect, { ...base, onFault: (f) => faults.push(f) });
    dead.sessions.add(1);
    dead.startKeepalives(5);
    await until('the keepalive fails', () => faults.length > 0);
    dead.stopKeepalives();
    assert.equal(dead.fault?.message, 'connection reset');

    const warnings: string[] = [];
    let calls = 0;
    const noisy = await JanusClient.connect(echoTransport('t'), connect, { ...base, onWarning: (w) => warnings.push(w), onTraffic: () => {
      if (calls++ === 0) throw new Error('cannot record');
    } });
    noisy.sessions.add(2);
    noisy.startKeepalives(5);
    await until('the warning', () => warnings.length > 0);
    noisy.stopKeepalives();
    assert.match(warnings[0]!, /keepalive for session 2 could not be sent: cannot record/);
    assert.equal(noisy.fault, undefined);
    assert.deepEqual(escaped, []);
  });

  it('a transport whose send throws instead of rejecting fails the request and the keepalive, and nothing escapes', async () => {
    const faults: TransportFault[] = [];
    const definition = echoTransport('t');
    const throwing: TransportDefinition = {
      ...definition,
      async connect(options, sink) {
        const connection = await definition.connect(options, sink);
        return { ...connection, send: () => {
          throw new TransportFault('socket gone');
        } };
      },
    };
    const client = await JanusClient.connect(throwing, connect, { ...base, onFault: (f) => faults.push(f) });
    const outcome = await client.request({ janus: 'create', transaction: 'a' }, {}, 'final', 60_000);
    assert.ok('fault' in outcome && outcome.fault.message === 'socket gone', JSON.stringify(outcome));
    client.sessions.add(1);
    client.startKeepalives(5);
    await until('the keepalive fails', () => faults.length > 0);
    client.stopKeepalives();
    assert.equal(client.fault?.message, 'socket gone');
    assert.deepEqual(escaped, []);
  });

  it('fails the scenario at the step it was in, at once, and not as a server problem', async () => {
    if (!getTransport('throwtest')) registerTransport(echoTransport('throwtest'));
    writeFileSync(join(dir, 'two.yaml'), 'name: two\nsteps:\n  - request: { janus: info }\n  - request: { janus: create }\n  - request: { janus: info }\n');
    const [scenario] = loadFiles([join(dir, 'two.yaml')], { cwd: dir }).scenarios;
    let seen = 0;
    const result = await runScenario(scenario!, { transport: 'throwtest', url: 'throwtest://x', tls: {}, secrets: {} }, {
      seed: 's', stepTimeoutMs: 60_000, scenarioTimeoutMs: 120_000,
      onEvent: (e) => {
        if (e.type === 'message' && e.direction === 'in' && ++seen === 2) throw new Error('reporter broke');
      },
    });
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.kind, 'assertion');
    assert.match(result.failure!.summary, /^internal error while client \S+ handled a message: reporter broke$/);
    assert.equal(result.failure?.span?.line, 4, 'the second step');
    assert.deepEqual(escaped, []);
  });
});
