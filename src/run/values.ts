import type { JanusMessage } from '../protocol/messages.js';
import type { ValueLookup } from '../match/contract.js';
import { readPath } from '../steps/common.js';
import { ownMistake, StepFailure, type Actor } from '../steps/contract.js';

/**
 * The values placeholders resolve against: variables and saved values (one flat namespace),
 * the acting client's bound ids, other clients' ids, the last reply, the environment.
 */
export class ScenarioValues {
  readonly saved = new Map<string, unknown>();
  last: { transaction?: string; reply?: JanusMessage } = {};

  constructor(
    private readonly actors: (name: string) => Actor | undefined,
    private readonly transport: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  lookupFor(actor: Actor, transaction?: string): ValueLookup {
    return { lookup: (ref) => this.lookup(ref, actor, transaction) };
  }

  private lookup(ref: string, actor: Actor, transaction?: string): unknown {
    const [head, ...rest] = ref.split('.');
    if (this.saved.has(head!)) return this.dig(this.saved.get(head!), rest, ref);
    switch (head) {
      case 'env':
        return this.envValue(rest[0]!, ref);
      case 'env_int':
        return Number(this.envValue(rest[0]!, ref));
      case 'transport':
        return this.transport;
      case 'transaction':
        return this.need(transaction ?? this.last.transaction, ref, this.last.reply ? 'the last request was sent without a transaction (transaction: null, not a string, or raw text without one)' : 'no request has been sent yet');
      case 'last':
        return this.dig(this.last, rest, ref);
    }
    const other = this.actors(head!);
    if (other) return this.actorValue(other, rest, ref);
    return this.actorValue(actor, [head!, ...rest], ref);
  }

  private actorValue(actor: Actor, [what, name]: string[], ref: string): unknown {
    if (what === 'session') return this.need(actor.sessionId, ref, `client ${actor.name} has no session yet`);
    if (what === 'handle') return this.need(actor.handleId, ref, `client ${actor.name} has no handle yet`);
    if (what === 'handles') return this.need(actor.handles.get(name ?? ''), ref, `client ${actor.name} has no handle named "${name}"`);
    throw ownMistake(`\${${ref}} has no value`);
  }

  /** Own entries only: `${env.toString}` is not a variable of the environment. */
  private envValue(name: string, ref: string): string {
    return this.need(Object.hasOwn(this.env, name) ? this.env[name] : undefined, ref, `environment variable ${name} is not set`);
  }

  /** A path into a value that is there: one that leads nowhere reads what the server sent, so it is no mistake of the scenario's. */
  private dig(value: unknown, rest: string[], ref: string): unknown {
    if (rest.length === 0) return value;
    const found = readPath(value, rest.join('.'));
    if (found === undefined) throw new StepFailure('assertion', `\${${ref}} has no value: that path does not exist`);
    return found;
  }

  /** A name with nothing bound to it (never saved, no session yet, unset in the environment): the scenario's own doing. */
  private need<T>(value: T | undefined, ref: string, why: string): T {
    if (value === undefined) throw ownMistake(`\${${ref}} has no value: ${why}`);
    return value;
  }
}
