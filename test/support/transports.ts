import assert from 'node:assert/strict';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { TransportFault, type ConnectOptions, type TransportDefinition, type TransportSink } from '../../src/transports/contract.js';
import { getTransport } from '../../src/transports/registry.js';

/* Shared by the transport tests against a real Janus and against a misbehaving fake one. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls a condition; the deadline only stops a broken test from hanging, it asserts nothing about speed. */
export async function until(what: string, condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

export class RecordingSink implements TransportSink {
  readonly messages: JanusMessage[] = [];
  readonly faults: TransportFault[] = [];
  readonly gone: number[] = [];
  message(msg: JanusMessage): void {
    this.messages.push(msg);
  }
  fault(fault: TransportFault): void {
    this.faults.push(fault);
  }
  sessionGone(sessionId: number): void {
    this.gone.push(sessionId);
  }
  async next(what: string, predicate: (msg: JanusMessage) => boolean): Promise<JanusMessage> {
    await until(what, () => this.messages.some(predicate));
    return this.messages.find(predicate)!;
  }
}

export function options(url: string, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { url, api: 'janus', tls: {}, connectTimeoutMs: 3000, ...extra };
}

/** A registered transport; the caller registers the built-ins first. */
export function transport(name: string): TransportDefinition {
  const def = getTransport(name);
  assert.ok(def, `transport ${name} is registered`);
  return def;
}

export function assertOneLineFault(err: unknown, pattern: RegExp): true {
  assert.ok(err instanceof TransportFault, `expected a TransportFault, got ${String(err)}`);
  assert.doesNotMatch(err.message, /\n/);
  assert.match(err.message, pattern);
  return true;
}
