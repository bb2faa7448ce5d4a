import type { JanusMessage, Route } from '../protocol/messages.js';
import type { Violation } from '../schemas/catalogue.js';
import type { MessageChecker } from '../schemas/checker.js';

/** A message sent or received, waiting for its schema check, with the step it belongs to. */
interface Unchecked {
  step: number;
  direction: 'in' | 'out';
  api: 'janus' | 'admin';
  message: JanusMessage | string;
  route: Route;
}

/** What a check found, and the step during which its message went out or came in. */
export interface Found {
  step: number;
  violation: Violation;
}

/**
 * The schema checks of a run's messages, run when the run is idle rather than on a message's
 * way. A reply's check used to sit between the reply and the next request: tens of
 * microseconds a message, on a machine whose other core is Janus's. Queued instead, the checks
 * run once the next request is on the wire (an immediate runs after the promise chain that
 * sends it), while Janus works on it; or at once when a verdict needs them (`runAll`).
 *
 * Checks run in the order the messages went and came, as the checker learns transactions and
 * handles from the traffic itself. Each violation keeps the step its message belongs to, so a
 * verdict names that step even when the check ran after the next one had begun.
 */
export class SchemaChecks {
  private readonly queue: Unchecked[] = [];
  private readonly found: Found[] = [];
  private scheduled = false;

  constructor(private readonly checker: MessageChecker) {}

  add(step: number, direction: 'in' | 'out', api: 'janus' | 'admin', message: JanusMessage | string, route: Route | undefined): void {
    this.queue.push({ step, direction, api, message, route: route ?? {} });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.runAll);
  }

  /** Runs every check queued; what the checker itself fails on is a violation of that message, never an escape. */
  readonly runAll = (): void => {
    this.scheduled = false;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) this.runOne(next);
  };

  private runOne(unchecked: Unchecked): void {
    try {
      this.run(unchecked);
    } catch (e) {
      this.found.push({ step: unchecked.step, violation: uncheckable(unchecked.message, e) });
    }
  }

  /**
   * The violations found so far, oldest step first, handed over once; every check still queued
   * for a step before `before` runs first (Infinity: every check). A step's verdict takes those
   * of the steps before it: a check never lags more than one step behind its message.
   */
  take(before: number): Found[] {
    while (this.queue.length > 0 && this.queue[0]!.step < before) this.runOne(this.queue.shift()!);
    return this.found.length === 0 ? NONE : this.found.splice(0);
  }

  private run({ step, direction, api, message, route }: Unchecked): void {
    if (direction === 'out') return this.checker.outgoing(api, message, route);
    if (typeof message === 'string') return;
    const violations = this.checker.incoming(api, message);
    for (const violation of violations) this.found.push({ step, violation });
  }
}

/** Nothing found: shared, never written to. */
const NONE: Found[] = [];

/** A message the checker itself failed on: a violation, never an escape from a transport's callback. */
function uncheckable(message: JanusMessage | string, e: unknown): Violation {
  return { schema: 'checker', pointer: '/', rule: `cannot check this message: ${(e as Error).message}`, value: message };
}
