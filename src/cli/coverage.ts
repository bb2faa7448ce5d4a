// TEMPORARY: until src/reporters/coverage.ts (the coverage table as a Reporter) lands.
import { CoverageCollector } from '../coverage/collector.js';
import { renderCoverage } from '../coverage/report.js';
import type { Reporter } from '../events/reporter.js';

/** `janus-scenarios coverage`: what the run's messages exercised, printed when it ends. */
export function coverageReporter(transports: string[], print: (text: string) => void): Reporter {
  const collector = new CoverageCollector();
  const transportOf = new Map<string, string>();
  return {
    onRunBegin: (event) => event.tests.forEach((t) => transportOf.set(t.id, t.transport)),
    onMessage: (event) => collector.message(event.entry, event.route, transportOf.get(event.testId) ?? ''),
    onRunEnd: () => print(renderCoverage(collector, transports)),
  };
}
