import { CoverageCollector } from '../coverage/collector.js';
import { renderCoverage } from '../coverage/report.js';
import type { MessageEvent, RunBegin } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import type { ReporterContext, TextSink } from './contract.js';

/**
 * `janus-scenarios coverage`: what the run exercised (request verbs, plugin requests, error
 * codes, per transport), learnt from the `message` events, printed as tables at the end.
 */
export class CoverageReporter implements Reporter {
  readonly name = 'coverage';
  readonly collector = new CoverageCollector();
  private readonly out: TextSink;
  private readonly redact: (text: string) => string;
  private transports: string[] = [];
  private readonly transportOf = new Map<string, string>();

  constructor(context: Pick<ReporterContext, 'redactor' | 'out'>) {
    this.out = context.out;
    this.redact = (text) => context.redactor.text(text);
  }

  printsToStdout(): boolean {
    return true;
  }

  onRunBegin(event: RunBegin): void {
    this.transports = event.transports;
    for (const t of event.tests) this.transportOf.set(t.id, t.transport);
  }

  onMessage(event: MessageEvent): void {
    const { entry } = event;
    const transport = this.transportOf.get(event.testId) ?? '';
    this.collector.listener({ type: 'message', client: entry.client, direction: entry.direction, message: entry.message, at: entry.at, api: entry.api, route: event.route, transport });
  }

  onRunEnd(): void {
    this.out.write(`${this.redact(renderCoverage(this.collector, this.transports))}\n`);
  }
}
