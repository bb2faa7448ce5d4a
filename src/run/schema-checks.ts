import { RecentMap } from '../core/recent-map.js';
import { requestObject, type JanusMessage, type Route } from '../protocol/messages.js';
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

/** Messages whose checks run together: the checks of a batch share warm code, where one check alone runs cold. */
export const CHECK_BATCH = 32;
/** How long a message waits for its check at most when fewer than a batch come (a wait for an event, the last steps). */
const CHECK_DELAY_MS = 20;

/**
 * The schema checks of a run's messages, off the path from a reply to the next request. Run
 * there, one at a time, a check cost several microseconds, several times what it costs in a loop:
 * between two messages Janus runs, and the checker's code is cold again. Queued instead,
 * the checks run a batch at a time: once CHECK_BATCH messages wait (after the promise chain
 * that sends the next request, while Janus works on it), CHECK_DELAY_MS after the first, or at
 * once when a verdict needs them (`take`).
 *
 * Checks run in the order the messages went and came, as the checker learns transactions and
 * handles from the traffic itself. Each violation keeps the step its message belongs to, so a
 * verdict names that step even when the check ran steps later: a scenario stops at most a
 * batch of messages and one step after the one that broke the schema.
 */
export class SchemaChecks {
  private readonly queue: Unchecked[] = [];
  private readonly found: Found[] = [];
  private soon?: NodeJS.Immediate;
  private later?: NodeJS.Timeout;
  /** A full batch was left to its immediate once (`take`): the next `take` runs it, whatever. */
  private leftToSoon = false;
  /**
   * The step each recent request went out during, by transaction: its violations are that
   * step's. Only the last thousand or so: a map of every request of a long scenario grows its
   * table again and again, garbage the collector copies, for answers that come a few requests later.
   */
  private readonly sentDuring = new RecentMap<number>(SENT_KEPT);

  constructor(private readonly checker: MessageChecker, private readonly batch = CHECK_BATCH) {}

  add(step: number, direction: 'in' | 'out', api: 'janus' | 'admin', message: JanusMessage | string, route: Route | undefined): void {
    this.queue.push({ step, direction, api, message, route: route ?? NO_ROUTE });
    if (this.queue.length >= this.batch) this.soon ??= setImmediate(this.runAll);
    else if (this.queue.length === 1) this.later ??= setTimeout(this.runAll, CHECK_DELAY_MS).unref();
  }

  /** Runs the checks queued at the next turn of the event loop (or at the next `take` that runs them, if that comes first). */
  runSoon(): void {
    if (this.queue.length > 0) this.soon ??= setImmediate(this.runAll);
  }

  /**
   * Whether nothing found waits to be taken and no full batch waits to run: what `take(false)`
   * would find at this step's end is nothing the step could have stopped on (see NextStep).
   */
  clear(): boolean {
    return this.found.length === 0 && this.queue.length < this.batch;
  }

  /** Runs every check queued; what the checker itself fails on is a violation of that message, never an escape. */
  readonly runAll = (): void => {
    if (this.soon) clearImmediate(this.soon);
    if (this.later) clearTimeout(this.later);
    this.soon = this.later = undefined;
    this.leftToSoon = false;
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
   * The violations found so far, oldest step first, handed over once. With `all`, every check
   * queued runs first. Without, a full batch whose immediate is waiting is left to it once: the
   * reply that filled it is on the path to the next request, which goes first, and the batch
   * then runs while Janus works on it. The next `take` runs it if the immediate has not (a
   * transport that answers inside its send never lets it run before the next step).
   */
  take(all: boolean): Found[] {
    if (all) this.runAll();
    else if (this.queue.length >= this.batch) {
      if (this.soon && !this.leftToSoon) this.leftToSoon = true;
      else this.runAll();
    }
    return this.takeFound();
  }

  /** The violations found so far, handed over once; no check runs (see take). */
  takeFound(): Found[] {
    return this.found.length === 0 ? NONE : this.found.splice(0);
  }

  private run({ step, direction, api, message, route }: Unchecked): void {
    if (direction === 'out') {
      const transaction = requestObject(message)?.transaction;
      if (typeof transaction === 'string') this.sentDuring.set(transaction, step);
      return this.checker.outgoing(api, message, route);
    }
    if (typeof message === 'string') return;
    const violations = this.checker.incoming(api, message);
    // A request's violations are counted by the reply or event that says Janus accepted it,
    // which may come steps later (a message's event over HTTP): they belong to the step that sent it.
    for (const violation of violations) this.found.push({ step: violation.request === undefined ? step : (this.sentDuring.get(violation.request) ?? step), violation });
  }
}

/** Requests whose step is remembered at least (see sentDuring). */
const SENT_KEPT = 1024;

/** The route of a message received: none (shared, never written to). */
const NO_ROUTE: Route = Object.freeze({});

/** Nothing found: shared, never written to. */
const NONE: Found[] = [];

/** A message the checker itself failed on: a violation, never an escape from a transport's callback. */
function uncheckable(message: JanusMessage | string, e: unknown): Violation {
  return { schema: 'checker', pointer: '/', rule: `cannot check this message: ${(e as Error).message}`, value: message };
}
