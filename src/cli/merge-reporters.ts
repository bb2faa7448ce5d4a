/*
 * STAND-IN, to be replaced when the reporters on the event stream are merged: their registry
 * (src/reporters/) builds a Reporter from `--reporter name[:path]`, and the RunReport builder
 * (src/report/) reads events. Until then merge-reports feeds the mocha-era file reporters of
 * reporters/ from the stream through ReportEntry objects, here and nowhere else. The integrator
 * replaces `streamReporters` with the registry's and deletes this file (and its call in
 * run-command's event stand-in).
 */
import { buildRunReport } from '../../reporters/build.js';
import type { ReportEntry } from '../../reporters/report-entry.js';
import { fileReporterNames, getFileReporter } from '../../reporters/registry.js';
import { writeReports, type ReportOutput } from '../../reporters/write.js';
import { CoverageCollector } from '../coverage/collector.js';
import { renderCoverage } from '../coverage/report.js';
import type { InterruptEvent, MessageEvent, RunBegin, RunEnd, TestBegin, TestEnd } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { BlobReporter } from '../reporters/blob.js';
import { UsageError } from './options.js';

/** `--reporter name[:path]` of merge-reports: the file reporters, `blob`, and `coverage` (printed with `out`). */
export function streamReporters(specs: readonly string[], secrets: string[] = [], out: (text: string) => void = () => {}): Reporter[] {
  const files: ReportOutput[] = [];
  const reporters: Reporter[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon > 0 ? spec.slice(0, colon) : spec;
    const path = colon > 0 ? spec.slice(colon + 1) : undefined;
    if (path === '') throw new UsageError(`--reporter ${spec}: give a path after the colon`);
    if (name === 'blob') {
      reporters.push(new BlobReporter({ path, secrets }));
      continue;
    }
    if (name === 'coverage' && path === undefined) {
      reporters.push(new CoverageTable(out));
      continue;
    }
    const file = getFileReporter(name);
    if (!file) throw new UsageError(`unknown reporter "${spec}" for merge-reports: use ${[...fileReporterNames(), 'blob'].join(', ')} (NAME[:PATH]) or coverage (printed)`);
    files.push({ reporter: file, path: path ?? file.defaultPath });
  }
  if (files.length > 0) reporters.unshift(new FileReports(files, secrets));
  return reporters;
}

/** The file reporters of reporters/, rendered once from the whole stream when it ends. */
class FileReports implements Reporter {
  private entries = new Map<string, ReportEntry>();
  private begin?: RunBegin;
  private interrupted = false;

  constructor(private readonly outputs: ReportOutput[], private readonly secrets: string[]) {}

  onRunBegin(event: RunBegin): void {
    this.begin = event;
    this.entries = new Map(event.tests.map((t) => [t.id, { file: t.file, name: t.name, transport: t.transport, tags: t.tags, ...(t.skipReason ? { skipReason: t.skipReason } : {}) }]));
  }

  onTestBegin(event: TestBegin): void {
    const entry = this.entries.get(event.testId);
    if (entry) entry.startedAt = event.at;
  }

  onTestEnd(event: TestEnd): void {
    const entry = this.entries.get(event.testId);
    if (!entry) return;
    if (event.result.status === 'skipped') entry.skipReason = event.result.skipReason ?? entry.skipReason ?? 'skipped';
    else entry.result = event.result;
  }

  onInterrupt(_event: InterruptEvent): void {
    this.interrupted = true;
  }

  onRunEnd(event: RunEnd): void {
    const begin = this.begin!;
    const report = buildRunReport([...this.entries.values()], {
      startedAt: begin.at,
      finishedAt: event.at,
      interrupted: this.interrupted || event.status === 'interrupted',
      transports: begin.transports,
      seed: begin.seed,
      janusVersion: event.janusVersion,
      secrets: this.secrets,
    });
    const problems = writeReports(report, this.outputs);
    if (problems.length > 0) throw new Error(problems.join('; '));
  }
}

/** What the merged run exercised (`janus-scenarios coverage`'s table), from every shard's traffic. */
class CoverageTable implements Reporter {
  private readonly collector = new CoverageCollector();
  private readonly transportOf = new Map<string, string>();
  private transports: string[] = [];

  constructor(private readonly out: (text: string) => void) {}

  onRunBegin(event: RunBegin): void {
    this.transports = event.transports;
    for (const t of event.tests) this.transportOf.set(t.id, t.transport);
  }

  onMessage(event: MessageEvent): void {
    this.collector.listener({ type: 'message', ...event.entry, ...(event.route ? { route: event.route } : {}), transport: this.transportOf.get(event.testId) ?? '' });
  }

  onRunEnd(): void {
    this.out(renderCoverage(this.collector, this.transports));
  }
}
