import assert from 'node:assert/strict';
import { startInterrupted } from '../../src/managed/errors.js';
import type { BrokerStartControl, BrokerStarter, RunningBroker } from '../../src/managed/brokers/contract.js';
import { BrokerPool } from '../../src/managed/brokers/pool.js';

/** A broker that counts what is done to it. */
interface FakeBroker extends RunningBroker {
  stops: number;
  kills: number;
}

/** One start of a fake broker, ended by the test; interrupted, it cleans up a moment later, as a real one does. */
interface FakeStart {
  control: BrokerStartControl;
  broker: FakeBroker;
  /** Set when an interrupted start has killed its processes and removed its folder. */
  cleanedUp: boolean;
  /** How often the exit handler killed what the start under way had made. */
  killedWhileStarting: number;
  succeed(): void;
}

function fakeStarter(): { starter: BrokerStarter; starts: FakeStart[] } {
  const starts: FakeStart[] = [];
  const starter: BrokerStarter = (control) => new Promise<RunningBroker>((resolve, reject) => {
    const broker: FakeBroker = {
      kind: 'rabbitmq',
      port: 5672 + starts.length,
      startMs: 1,
      stops: 0,
      kills: 0,
      exited: () => false,
      deathReason: async () => undefined,
      stop: async () => void broker.stops++,
      killSync: () => void broker.kills++,
    };
    const start: FakeStart = { control, broker, cleanedUp: false, killedWhileStarting: 0, succeed: () => resolve(broker) };
    control.starting(() => start.killedWhileStarting++);
    control.signal.addEventListener('abort', () => {
      setImmediate(() => {
        start.cleanedUp = true;
        reject(startInterrupted(control.signal));
      });
    });
    starts.push(start);
  });
  return { starter, starts };
}

function poolOf(starter: BrokerStarter): BrokerPool {
  return new BrokerPool({ mosquitto: starter, rabbitmq: starter });
}

const INTERRUPTED = (err: unknown): boolean => err instanceof Error && err.message === 'the start was interrupted (SIGINT)';

describe('broker pool: leases of a broker start under way', () => {
  it('an interrupted lease rejects at once while another still waits; the start goes on and serves the other', async () => {
    const { starter, starts } = fakeStarter();
    const pool = poolOf(starter);
    const interrupt = new AbortController();
    const first = pool.lease('rabbitmq', interrupt.signal);
    const second = pool.lease('rabbitmq');
    assert.equal(starts.length, 1, 'both leases wait for one start');
    interrupt.abort('SIGINT');
    await assert.rejects(first, INTERRUPTED);
    assert.equal(starts[0]!.control.signal.aborted, false, 'the start another lease waits for was stopped');
    starts[0]!.succeed();
    const lease = await second;
    assert.equal(lease.broker, starts[0]!.broker);
    assert.equal(lease.broker.exited(), false);
    await lease.release();
    assert.equal(starts[0]!.broker.stops, 1, 'the last release stops the broker');
  });

  it('the last waiting lease interrupted stops the start and rejects once it has cleaned up; the next lease starts a new broker', async () => {
    const { starter, starts } = fakeStarter();
    const pool = poolOf(starter);
    const interrupt = new AbortController();
    const first = pool.lease('rabbitmq', interrupt.signal);
    const second = pool.lease('rabbitmq', interrupt.signal);
    interrupt.abort('SIGINT');
    await assert.rejects(first, INTERRUPTED);
    await assert.rejects(second, (err: unknown) => {
      assert.ok(INTERRUPTED(err), String(err));
      assert.equal(starts[0]!.control.signal.aborted, true, 'no lease wants the start any more: it goes on');
      assert.equal(starts[0]!.cleanedUp, true, 'the lease rejected before its start had cleaned up');
      return true;
    });
    const next = pool.lease('rabbitmq');
    assert.equal(starts.length, 2, 'the stopped start was handed out again');
    starts[1]!.succeed();
    assert.equal((await next).broker, starts[1]!.broker);
  });

  it('a start that ends as its last lease is interrupted is stopped, never handed out', async () => {
    const { starter, starts } = fakeStarter();
    const pool = poolOf(starter);
    const interrupt = new AbortController();
    const first = pool.lease('rabbitmq', interrupt.signal);
    starts[0]!.succeed();
    interrupt.abort('SIGINT');
    await assert.rejects(first, INTERRUPTED);
    assert.equal(starts[0]!.broker.stops, 1, 'the broker the start ended with is left running');
    void pool.lease('rabbitmq');
    assert.equal(starts.length, 2, 'the stopped broker was handed out again');
  });

  it('does not start at all for a lease whose signal has aborted already', async () => {
    const { starter, starts } = fakeStarter();
    await assert.rejects(poolOf(starter).lease('rabbitmq', AbortSignal.abort('SIGINT')), INTERRUPTED);
    assert.equal(starts.length, 0);
  });

  it('the exit handler kills what a start under way has made, and a started broker once it started', async () => {
    const { starter, starts } = fakeStarter();
    const starting = poolOf(starter);
    void starting.lease('rabbitmq');
    starting.killAllSync();
    assert.equal(starts[0]!.killedWhileStarting, 1, 'the exit handler left a starting broker alone');

    const started = poolOf(starter);
    const lease = started.lease('rabbitmq');
    starts[1]!.succeed();
    await lease;
    started.killAllSync();
    assert.equal(starts[1]!.broker.kills, 1, 'the exit handler left a started broker alone');
    assert.equal(starts[1]!.killedWhileStarting, 0, 'a started broker is killed as itself, not as its start');
  });
});
